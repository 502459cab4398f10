package io.steward.coordinator;

/** The states of a run. QUEUED and RUNNING are live; the rest are final. */
public enum RunState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, LOST;

    public boolean isTerminal() {
        return this != QUEUED && this != RUNNING;
    }

    /**
     * Whether a run may move from this state to {@code next}. A LOST run may still learn its real outcome
     * (an agent that comes back reports it); every other final state is final.
     */
    public boolean canMoveTo(RunState next) {
        return switch (this) {
            case QUEUED -> next != QUEUED;
            case RUNNING -> next != QUEUED && next != RUNNING;
            case LOST -> next == SUCCEEDED || next == FAILED || next == CANCELLED || next == TIMED_OUT;
            case SUCCEEDED, FAILED, CANCELLED, TIMED_OUT -> false;
        };
    }
}
