package io.steward.nodes;

/** A request for a run on an agent could not be passed on: the agent has no live link. Retrying later may work. */
public final class NodeOfflineException extends RuntimeException {
    private final String node;

    public NodeOfflineException(String node, String message) {
        super(message, null, false, false);
        this.node = node;
    }

    public String node() {
        return node;
    }
}
