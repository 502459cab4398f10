package io.steward.client;

import java.util.Set;

/** The states of a run as the API names them; the client works on names so that it needs nothing of the server. */
public final class RunStates {
    private static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT", "LOST");

    private RunStates() {
    }

    /** Whether a run in this state has ended: everything but QUEUED and RUNNING. */
    public static boolean isFinal(String state) {
        return state != null && FINAL.contains(state);
    }
}
