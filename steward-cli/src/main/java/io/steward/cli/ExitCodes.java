package io.steward.cli;

/** What the exit code of a command that waited for a run says about it. */
final class ExitCodes {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int CANCELLED = 3;
    static final int TIMED_OUT = 4;
    static final int LOST = 5;

    private ExitCodes() {
    }

    /** By the state's name, as the API and {@code RunState.name()} spell it. */
    static int of(String state) {
        return switch (state) {
            case "SUCCEEDED" -> OK;
            case "CANCELLED" -> CANCELLED;
            case "TIMED_OUT" -> TIMED_OUT;
            case "LOST" -> LOST;
            default -> FAILED;
        };
    }
}
