package io.steward.agent;

import java.util.Map;

/** A run's events dropped while the outbox was full: seqs {@code from..to}, {@code missed} of them. */
final class Gap {
    private final long from;
    private long to;
    private long missed;

    Gap(long seq) {
        this.from = seq;
        this.to = seq;
        this.missed = 1;
    }

    /** Seqs {@code from..to}, every one missed. */
    Gap(long from, long to) {
        this.from = from;
        this.to = to;
        this.missed = to - from + 1;
    }

    void add(long seq) {
        to = seq;
        missed++;
    }

    /** The gap event takes the seq of the last missed event, so the next event follows it without a hole. */
    long seq() {
        return to;
    }

    Map<String, Object> data() {
        return Map.of("from", from, "to", to, "missed", missed);
    }
}
