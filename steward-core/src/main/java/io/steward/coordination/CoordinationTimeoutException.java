package io.steward.coordination;

/** A lock, semaphore permit or pool entry that did not come within the time a script allowed. */
public final class CoordinationTimeoutException extends RuntimeException {
    public CoordinationTimeoutException(String message) {
        super(message);
    }
}
