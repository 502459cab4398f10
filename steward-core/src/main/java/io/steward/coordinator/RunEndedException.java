package io.steward.coordinator;

/** The run has ended (or is stopping) and so takes no more messages. */
public final class RunEndedException extends IllegalStateException {
    public RunEndedException(String message) {
        super(message);
    }
}
