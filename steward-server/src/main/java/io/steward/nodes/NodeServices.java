package io.steward.nodes;

/**
 * The parts of the primary's node handling that the gateway serves: the registry, remote runs, messages into them,
 * the fleet, the link.
 */
public record NodeServices(Nodes nodes, RemoteRuns remote, RemoteMessages messages, PrimaryFleet fleet, AgentLink link) {
}
