package io.steward.coordinator;

import java.util.Map;

/**
 * How the local processes of a run reach back into it (claim 30: requests from local processes). The coordinator
 * opens a run's callbacks when the run launches its first local process and adds the variables they give to the
 * environment of every local process the run launches; it closes them when the run ends (a run that launches none
 * never opens them, so most runs mint no credential). The engine and the coordinator know nothing of the
 * transport: the node's assembly (the primary's server, an agent) supplies the implementation, typically
 * {@link RunTokens}, which hands out a token that its HTTP endpoint accepts.
 *
 * <p>A node without an endpoint ({@code steward run-local}) uses {@link #NONE}: its processes get no variables.
 */
public interface RunCallbacks {

    /**
     * Opens the callbacks of a running run; returns the variables for its processes (empty for none). Called at
     * most once per run, when it launches its first local process.
     */
    Map<String, String> open(String runId);

    /** Closes them when the run has ended: from now on its credentials do not work. Never throws. */
    void close(String runId);

    RunCallbacks NONE = new RunCallbacks() {
        @Override
        public Map<String, String> open(String runId) {
            return Map.of();
        }

        @Override
        public void close(String runId) {
        }
    };
}
