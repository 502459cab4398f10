package io.steward.agent;

/**
 * The primary refused this agent for good: a bad join token or credential ({@code unauthorized}) or a revoked node
 * ({@code revoked}). Retrying cannot help, so the agent ends with this instead of reconnecting forever.
 */
public final class AgentRefusedException extends RuntimeException {
    private final String code;

    public AgentRefusedException(String code, String message) {
        super("the primary refused this agent (" + code + "): " + message);
        this.code = code;
    }

    /** {@code unauthorized} or {@code revoked}, as the primary said. */
    public String code() {
        return code;
    }
}
