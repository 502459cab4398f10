package io.steward.coordination;

/**
 * Who holds or waits: a run, the node it runs on and the script thread that asked (a run's threads are distinct
 * owners, so a thread cannot take a mutex its sibling holds). {@code runId} null is a client outside any run.
 */
public record Owner(String runId, String node, String thread) {

    /** A client of the API or CLI, named by its token. */
    public static Owner client(String name) {
        return new Owner(null, null, "client " + name);
    }

    public boolean isRun(String id) {
        return runId != null && runId.equals(id);
    }

    @Override
    public String toString() {
        return runId == null ? thread : "run " + runId + (thread == null ? "" : " (" + thread + ")");
    }
}
