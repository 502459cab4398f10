/**
 * The agent: a Steward process on another node that runs scripts for a primary over one WebSocket, the agent
 * link of {@code docs/agent-protocol.md}.
 *
 * <p>Public: {@link io.steward.agent.Agent}, {@link io.steward.agent.AgentConfig} and
 * {@link io.steward.agent.AgentRefusedException}. Everything else is package-private: {@code AgentLink} (the link's
 * one thread: connect, hello, frames in and out, heartbeats, reconnect with {@code Backoff}), {@code AgentOutbox}
 * (every event of every run, on disk until the primary acknowledges it), {@code RunDispatcher} (run and cancel
 * requests into the agent's own coordinator), {@code ReceivedScripts} (the scripts that came with the runs) and
 * {@code CallbackEndpoint} (where the local processes of its runs call back; {@code ChildRequests} forwards their
 * child runs to the primary).
 */
package io.steward.agent;
