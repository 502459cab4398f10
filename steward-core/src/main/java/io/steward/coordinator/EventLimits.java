package io.steward.coordinator;

import io.steward.engine.JsonSize;

import java.util.concurrent.atomic.LongAdder;

/**
 * The limits a node puts on what its runs publish, and the count of every time they bit.
 *
 * <ul>
 *   <li>{@code maxEventBytes}: a status value, event, progress message, log message or shared value whose JSON is
 *   larger is refused at the call: the script's {@code status.set}, {@code status.event}, {@code log.info} or
 *   {@code shared[...] =} throws, naming the size and the limit, and nothing is published. Output lines are not
 *   checked here: the process component cuts them at 64 KiB.</li>
 *   <li>{@code eventsPerSecond}: a token bucket per run, as deep as one second's worth. A run that publishes
 *   faster is slowed down, not thinned out: the call that finds the bucket empty waits for its turn (backpressure,
 *   as a full pipe slows a writer), so nothing a script published is ever dropped. {@code state}, {@code thread},
 *   {@code process} and {@code message} events, which the node itself writes, are never held up.</li>
 * </ul>
 *
 * <p>0 turns a limit off. The counters are read by the primary's metrics; they are adders, so counting costs the
 * hot path no lock. An agent takes its primary's limits when the primary welcomes it ({@link #adopt}), so that a
 * script is held to the same limits wherever it runs.
 */
public final class EventLimits {
    /** No limits: what a coordinator has unless told otherwise (tests, embedded use). Never adopts others. */
    public static final EventLimits NONE = new EventLimits(0, 0);

    /** See {@link #fits}: more than an output line (cut at 64 KiB) and the fields of any event. */
    public static final int MARGIN = 80 << 10;

    private volatile int maxEventBytes;
    private volatile int eventsPerSecond;
    private final LongAdder oversized = new LongAdder();
    private final LongAdder paced = new LongAdder();
    private final LongAdder pacedNanos = new LongAdder();

    public EventLimits(int maxEventBytes, int eventsPerSecond) {
        if (maxEventBytes < 0 || eventsPerSecond < 0) {
            throw new IllegalArgumentException("event limits must be 0 (off) or more");
        }
        this.maxEventBytes = maxEventBytes;
        this.eventsPerSecond = eventsPerSecond;
    }

    /**
     * Takes other limits (an agent, its primary's): size checks use them at once, the rate applies to runs created
     * from now on (a run keeps the bucket it started with).
     */
    public void adopt(int maxEventBytes, int eventsPerSecond) {
        if (this == NONE) {
            throw new IllegalStateException("EventLimits.NONE is shared: give the coordinator limits of its own");
        }
        if (maxEventBytes < 0 || eventsPerSecond < 0) {
            throw new IllegalArgumentException("event limits must be 0 (off) or more");
        }
        this.maxEventBytes = maxEventBytes;
        this.eventsPerSecond = eventsPerSecond;
    }

    /**
     * Whether an event's whole data, published elsewhere (an agent's, arriving at its primary), is within the size
     * limit, give or take {@link #MARGIN}; one that is not is counted as refused. The limit applies to the value a
     * script publishes, and this sees the event around it: the margin leaves room for the event's own fields and
     * for output lines, which are not checked at the call, so that it only catches an agent that kept no limit.
     */
    public boolean fits(Object data) {
        int max = maxEventBytes;
        if (max == 0 || JsonSize.of(data, (long) max + MARGIN) <= (long) max + MARGIN) {
            return true;
        }
        oversized.increment();
        return false;
    }

    public int maxEventBytes() {
        return maxEventBytes;
    }

    public int eventsPerSecond() {
        return eventsPerSecond;
    }

    /** Events refused for their size. */
    public long oversized() {
        return oversized.sum();
    }

    /** Events that had to wait for the rate limit. */
    public long paced() {
        return paced.sum();
    }

    /** The time script threads spent waiting for the rate limit, in nanoseconds. */
    public long pacedNanos() {
        return pacedNanos.sum();
    }

    /**
     * Refuses a value too large to publish.
     *
     * @param what names the value in the error, such as {@code status value 'report'}
     * @throws EventTooLargeException when its JSON is larger than {@code maxEventBytes}
     */
    void checkSize(String what, Object value) {
        int max = maxEventBytes;
        if (max == 0) {
            return;
        }
        long size = JsonSize.of(value, max);
        if (size > max) {
            oversized.increment();
            // Refusals are rare: measured to the end, so that the error can say by how much.
            throw new EventTooLargeException(what, JsonSize.of(value, Long.MAX_VALUE), max);
        }
    }

    /** A fresh bucket for one run, or {@code null} when the rate is not limited. */
    RatePacer pacer() {
        int rate = eventsPerSecond;
        return rate == 0 ? null : new RatePacer(rate, this::waited);
    }

    private void waited(long nanos) {
        paced.increment();
        pacedNanos.add(nanos);
    }
}
