package io.steward.engine;

/** {@code exec(…, [check: true])} saw a non-zero exit code (or a timeout). */
public final class ExecFailedException extends RuntimeException {
    public ExecFailedException(String message) {
        super(message);
    }
}
