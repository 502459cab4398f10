package io.steward.coordinator;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * One run's token bucket for {@link EventLimits#eventsPerSecond}: a second's worth of events may go at once, then
 * one per {@code 1/rate} seconds. A caller that finds it empty reserves the next free slot and parks until then,
 * outside every lock, so a throttled run holds up only its own publishing threads, never a reader of its status.
 * The bucket's own lock guards two longs and is held for a few instructions.
 */
final class RatePacer {
    private final long interval;
    private final long burst;
    private final LongConsumer waited;
    /** The earliest time the next event may go, on the {@link System#nanoTime} clock. */
    private long next = Long.MIN_VALUE;

    RatePacer(int perSecond, LongConsumer waited) {
        this.interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
        this.burst = interval * perSecond;
        this.waited = waited;
    }

    /**
     * Takes one slot, waiting for it when the bucket is empty. An interrupt (the run is stopping) ends the wait at
     * once and keeps the thread's interrupt status: the event is still published, as nothing accepted is dropped.
     */
    void acquire() {
        long wait = reserve(System.nanoTime());
        if (wait <= 0) {
            return;
        }
        waited.accept(wait);
        long until = System.nanoTime() + wait;
        for (long left = wait; left > 0 && !Thread.currentThread().isInterrupted(); left = until - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
        }
    }

    private synchronized long reserve(long now) {
        // The bucket never holds more than a burst: time it sat full is not saved up.
        long slot = Math.max(next, now - burst + interval);
        next = slot + interval;
        return slot - now;
    }
}
