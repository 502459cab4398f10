package io.steward.engine;

/** {@code runOn} saw child runs end other than SUCCEEDED; the message names each node and why. */
public final class FanOutFailedException extends RuntimeException {
    public FanOutFailedException(String message) {
        super(message);
    }
}
