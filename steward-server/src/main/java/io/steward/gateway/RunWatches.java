package io.steward.gateway;

import io.steward.store.RunTail;
import io.steward.store.Store;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Opens a {@link RunWatch} for each follower of a run. Runs held here (by the coordinator, or by an agent linked to
 * this primary) are watched exactly as before the cluster existed: the writer's watermark wakes their followers at
 * the commit, and a stream costs the hot path nothing more. Any other run is being written by another primary on
 * the same database (or is not being written at all): it is tailed from the store, where a commit notice or a poll
 * wakes its followers. Tailing is always correct, only slower; so a run that only looks foreign (queued here by a
 * concurrency limit and not started yet) is merely tailed, never missed.
 */
final class RunWatches {
    private final EventFrameCache cache;
    private final Store store;
    private final SseFrames frames;
    private final EventFrameSource local;
    private final Predicate<String> heldHere;

    /** @param heldHere whether this primary holds the run live (its watermarks move with it) */
    RunWatches(EventFrameCache cache, Store store, SseFrames frames, Predicate<String> heldHere) {
        this.cache = cache;
        this.store = store;
        this.frames = frames;
        this.local = new EventFrameSource(cache, store, frames);
        this.heldHere = heldHere;
    }

    RunWatch open(String runId) {
        return heldHere.test(runId) ? new Held(runId) : new Tailed(runId, store.tail().follow(runId));
    }

    /** A run of this primary's: its writer's watermark. */
    private final class Held implements RunWatch {
        private final String runId;

        Held(String runId) {
            this.runId = runId;
        }

        @Override
        public FrameBlock.Slice after(long afterSeq, boolean force) {
            return local.after(runId, afterSeq, force);
        }

        @Override
        public boolean await(long afterSeq, Duration timeout) throws InterruptedException {
            return store.writer().awaitDurable(runId, afterSeq, timeout) > afterSeq;
        }

        @Override
        public void close() {
            // nothing held
        }
    }

    /** A run another primary writes: the store tail's word on how far it is committed. */
    private final class Tailed implements RunWatch {
        private final String runId;
        private final RunTail.Following following;
        private final EventFrameSource source;
        /** What had been heard of the run when the last read began: a wait returns on anything heard since. */
        private long seen;

        Tailed(String runId, RunTail.Following following) {
            this.runId = runId;
            this.following = following;
            this.source = new EventFrameSource(cache, store, frames, id -> following.seq());
        }

        @Override
        public FrameBlock.Slice after(long afterSeq, boolean force) {
            seen = following.version();
            return source.after(runId, afterSeq, force);
        }

        @Override
        public boolean await(long afterSeq, Duration timeout) throws InterruptedException {
            return following.await(afterSeq, seen, timeout);
        }

        @Override
        public void close() {
            following.close();
        }
    }
}
