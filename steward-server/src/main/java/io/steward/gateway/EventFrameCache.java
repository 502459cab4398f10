package io.steward.gateway;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The encoded event frames recently sent to followers of runs, shared by all of them: a hundred followers of one run
 * cost one store read and one encoding per {@link FrameBlock}, not a hundred. Holds frames only, never decides who
 * may see them: every follower's request is authenticated before it gets here.
 *
 * <p>Bounded two ways. By bytes: past the budget the least recently used blocks go, whoever's they are, and a block
 * too big to fit a quarter of the budget is never kept; a follower that falls behind what is kept reads from the
 * store again, so a slow follower costs store reads, never memory beyond the one block it is sending. By time: a
 * run's frames go once it has had no follower for {@code idle} (its run ended, or everyone left), which
 * {@link #sweep()} checks; followers hold a {@link Lease} while they stream.
 *
 * <p>A block is filled by one follower at a time: {@link #fillLock} is per run and held only while reading the store
 * and encoding, never while writing to a socket, so a follower stuck on a slow connection blocks nobody.
 */
final class EventFrameCache {
    static final long DEFAULT_BUDGET = 64L << 20;
    static final Duration DEFAULT_IDLE = Duration.ofSeconds(30);

    private final long budget;
    private final Duration idle;
    private final Clock clock;
    private final Map<String, RunFrames> runs = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    /** Held to change what is kept: puts, evictions and sweeps. Followers reading blocks never take it. */
    private final ReentrantLock accounting = new ReentrantLock();

    EventFrameCache(long budget, Duration idle, Clock clock) {
        this.budget = budget;
        this.idle = idle;
        this.clock = clock;
    }

    /** One run's blocks, its followers and the lock its fills take. */
    private static final class RunFrames {
        final Map<Long, Used> blocks = new ConcurrentHashMap<>();
        final ReentrantLock fill = new ReentrantLock();
        final AtomicInteger followers = new AtomicInteger();
        volatile long idleSinceMillis;
    }

    /** A block and when a follower last took it, for least-recently-used eviction. */
    private static final class Used {
        final FrameBlock block;
        volatile long usedNanos = System.nanoTime();

        Used(FrameBlock block) {
            this.block = block;
        }
    }

    /** A follower of a run, from its stream's start to its end; the run's frames stay while anyone holds one. */
    final class Lease implements AutoCloseable {
        private final RunFrames frames;
        private boolean closed;

        private Lease(RunFrames frames) {
            this.frames = frames;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                frames.idleSinceMillis = clock.millis();
                frames.followers.decrementAndGet();
            }
        }
    }

    Lease follow(String runId) {
        while (true) {
            RunFrames frames = runs.computeIfAbsent(runId, id -> new RunFrames());
            frames.followers.incrementAndGet();
            // A sweep may have dropped this entry between the lookup and the increment: then use a fresh one.
            if (runs.get(runId) == frames) {
                return new Lease(frames);
            }
            frames.followers.decrementAndGet();
        }
    }

    /** The cached block, or {@code null}. */
    FrameBlock block(String runId, long index) {
        RunFrames frames = runs.get(runId);
        Used used = frames == null ? null : frames.blocks.get(index);
        if (used == null) {
            return null;
        }
        used.usedNanos = System.nanoTime();
        return used.block;
    }

    /** The lock a run's block fills take, so that one follower reads the store while the others wait for it. */
    ReentrantLock fillLock(String runId) {
        return runs.computeIfAbsent(runId, id -> new RunFrames()).fill;
    }

    /**
     * Keeps {@code block} (replacing an older version of it) unless it is too big, then evicts down to the budget.
     * Under the same lock as {@link #sweep()}, so that no block lands in a run's entry that a sweep is dropping
     * (its bytes would stay counted for ever).
     */
    void put(String runId, FrameBlock block) {
        if (block.weight() > budget / 4) {
            return;
        }
        accounting.lock();
        try {
            RunFrames frames = runs.get(runId);
            if (frames == null) {
                return;
            }
            Used old = frames.blocks.put(block.index(), new Used(block));
            bytes.addAndGet(block.weight() - (old == null ? 0 : old.block.weight()));
            evict();
        } finally {
            accounting.unlock();
        }
    }

    /** Least recently used blocks first; a scan, since a budget's worth of blocks is a few hundred. */
    private void evict() {
        while (bytes.get() > budget) {
            String lruRun = null;
            long lruIndex = 0;
            long oldest = Long.MAX_VALUE;
            for (var run : runs.entrySet()) {
                for (var b : run.getValue().blocks.entrySet()) {
                    if (b.getValue().usedNanos - oldest < 0 || lruRun == null) {
                        oldest = b.getValue().usedNanos;
                        lruRun = run.getKey();
                        lruIndex = b.getKey();
                    }
                }
            }
            if (lruRun == null) {
                return;
            }
            drop(runs.get(lruRun), lruIndex);
        }
    }

    private void drop(RunFrames frames, long index) {
        Used gone = frames == null ? null : frames.blocks.remove(index);
        if (gone != null) {
            bytes.addAndGet(-gone.block.weight());
        }
    }

    /** Drops the frames of every run that has had no follower for the idle time. */
    void sweep() {
        long now = clock.millis();
        accounting.lock();
        try {
            for (var run : runs.entrySet()) {
                RunFrames frames = run.getValue();
                if (frames.followers.get() == 0 && now - frames.idleSinceMillis >= idle.toMillis()
                        && runs.remove(run.getKey(), frames)) {
                    frames.blocks.keySet().forEach(index -> drop(frames, index));
                }
            }
        } finally {
            accounting.unlock();
        }
    }

    /** Bytes held now, for tests and health pages. */
    long bytes() {
        return bytes.get();
    }

    /** Runs whose frames are held now. */
    int runs() {
        return runs.size();
    }
}
