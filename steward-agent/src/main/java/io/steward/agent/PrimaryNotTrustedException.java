package io.steward.agent;

/**
 * This agent refused its primary: the primary presented another key than the pinned one (docs/tls.md). Retrying
 * cannot help until an operator decides, so the agent ends with this instead of reconnecting.
 */
public final class PrimaryNotTrustedException extends RuntimeException {
    public PrimaryNotTrustedException(String message) {
        super(message);
    }
}
