/**
 * The primary's nodes: itself and its agents. {@link io.steward.nodes.Nodes} is the registry (state, labels, info,
 * the live link of each agent); {@link io.steward.nodes.AgentLink} speaks docs/agent-protocol.md on the agent
 * WebSocket; {@link io.steward.nodes.RemoteRuns} keeps the child runs that execute on agents, writing their events
 * into the store without duplicates; {@link io.steward.nodes.RemoteMessages} carries messages into them and waits
 * for the agent to confirm; {@link io.steward.nodes.PrimaryFleet} is what scripts reach as {@code nodes},
 * {@code runOn} and {@code connect}. Periodic duties are classes of their own: {@code AgentPoller},
 * {@code AgentGraceMonitor}.
 */
package io.steward.nodes;
