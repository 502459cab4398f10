package io.steward.coordinator;

/**
 * The launcher failed to load, so no invoke request can be served until a fixed launcher is loaded
 * (claim 28). Everything else keeps working.
 */
public final class LauncherUnavailableException extends RuntimeException {
    public LauncherUnavailableException(String message) {
        super(message);
    }
}
