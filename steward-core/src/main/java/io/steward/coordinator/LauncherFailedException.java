package io.steward.coordinator;

import io.steward.engine.ScriptError;

/** The launcher loaded but threw while handling a request; the request was not started. */
public final class LauncherFailedException extends RuntimeException {
    private final transient ScriptError error;

    public LauncherFailedException(ScriptError error, Throwable cause) {
        super("the launcher failed on this request: " + error, cause);
        this.error = error;
    }

    public ScriptError error() {
        return error;
    }
}
