package io.steward.engine;

/**
 * A script failed at run time. Language adapters turn their own exceptions into this one at the boundary
 * of every script thread, so that the rest of Steward sees one kind of failure that names the script and line.
 */
public class ScriptException extends RuntimeException {
    private final transient ScriptError error;

    public ScriptException(ScriptError error, Throwable cause) {
        super(error.toString(), cause);
        this.error = error;
    }

    public ScriptError error() {
        return error;
    }
}
