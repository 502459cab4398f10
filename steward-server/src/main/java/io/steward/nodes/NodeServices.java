package io.steward.nodes;

/** The parts of the primary's node handling that the gateway serves: the registry, remote runs, the fleet, the link. */
public record NodeServices(Nodes nodes, RemoteRuns remote, PrimaryFleet fleet, AgentLink link) {
}
