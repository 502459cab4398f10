package io.steward.engine;

/** Thrown by {@code refuse(reason)}: the launcher (or a script) declines the request it was given. */
public final class RefusedException extends RuntimeException {
    public RefusedException(String reason) {
        super(reason);
    }
}
