package io.steward.engine;

/** {@code include(…)} would include a script that is still being included: the message names the chain. */
public final class IncludeCycleException extends RuntimeException {
    public IncludeCycleException(String message) {
        super(message);
    }
}
