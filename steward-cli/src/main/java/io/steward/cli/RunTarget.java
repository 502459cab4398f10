package io.steward.cli;

import picocli.CommandLine.Option;

/**
 * The run a callback command acts on (a picocli mixin): {@code --run ID}, else {@code $STEWARD_RUN_ID}, which every
 * local process a run starts has, together with {@code STEWARD_SERVER} and {@code STEWARD_TOKEN} (that run's token).
 */
final class RunTarget {
    static final String VARIABLE = "STEWARD_RUN_ID";

    @Option(names = "--run", paramLabel = "ID",
            description = "The run to act on (default: $STEWARD_RUN_ID, set in every process a run starts).")
    String run;

    /** The run id, or an error that says where it comes from. */
    String id() {
        String id = run != null && !run.isBlank() ? run.strip() : System.getenv(VARIABLE);
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("no run to act on: this command is for processes a run started "
                    + "(they have $" + VARIABLE + "); elsewhere give --run ID");
        }
        return id.strip();
    }
}
