package io.steward.engine;

import io.steward.process.LocalProcess;
import io.steward.process.ProcessSpec;

import java.util.Map;

/**
 * What the coordinator gives the host object of one run: the two-way channel between a script engine and the
 * coordinator (claims 34–35). Everything the run publishes goes through here, so the coordinator sees and records it.
 */
public interface RunContext {

    String runId();

    /** The name of the script the run executes. */
    String scriptName();

    /** The invoke arguments (immutable, JSON-compatible). */
    Map<String, Object> args();

    /** This node's info: name, host, os, arch, cpus, memoryBytes, labels, … */
    Map<String, Object> node();

    DataMap shared();

    DataMap priv();

    StatusBoard status();

    ScriptLog log();

    /** Launches a local process owned by this run; its output becomes events of the run. */
    LocalProcess launch(ProcessSpec spec);

    /** Loads a script for {@code include(…)}. */
    ScriptText loadScript(String name);

    /** The other nodes ({@code nodes}, {@code runOn}, {@code connect}); {@link Fleet#NONE} where there are none. */
    default Fleet fleet() {
        return Fleet.NONE;
    }

    /** The variables, locks, queues and pools this run shares with others ({@code vars}, {@code lock}, …). */
    default io.steward.coordination.Coordination coordination() {
        throw new UnsupportedOperationException("vars, lock, semaphore, event, queue and pool need a coordinator: "
                + "run the script on a Steward node");
    }

    /** The latest state of a child run this run started ({@code id, node, state, result, error}), for its snapshot. */
    default void child(Map<String, Object> child) {
    }

    /** The messages sent to this run. */
    default Inbox inbox() {
        throw new UnsupportedOperationException("only a run has an inbox: messages go to running runs");
    }

    /** Registers a handler the coordinator runs, within a grace period, when the run is cancelled. */
    default void onCancel(java.util.concurrent.Callable<Object> handler) {
        throw new UnsupportedOperationException("only a run can be cancelled: onCancel is for runs");
    }

    /** Extra names this context adds to the script's globals (the launcher's {@code request}); usually none. */
    default Map<String, Object> globals() {
        return Map.of();
    }
}
