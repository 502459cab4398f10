package io.steward.coordinator;

/** No run with that id is known. */
public final class RunNotFoundException extends RuntimeException {
    public RunNotFoundException(String runId) {
        super("no run with id '" + runId + "'");
    }
}
