package io.steward.gateway;

import io.steward.coordinator.RunEvent;
import io.steward.store.Store;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToLongFunction;

/**
 * Where followers get their next frames: from the {@link EventFrameCache} when another follower has already read
 * them, else from the store, once, for everyone. Only the store is read, never the coordinator's memory, so what is
 * served is durable: committed rows, up to the writer's watermark.
 */
final class EventFrameSource {
    private final EventFrameCache cache;
    private final Store store;
    private final SseFrames frames;
    private final ToLongFunction<String> durable;

    /** For runs this primary holds: its event writer's watermarks say how far they are durable. */
    EventFrameSource(EventFrameCache cache, Store store, SseFrames frames) {
        this(cache, store, frames, store.writer()::durableSeq);
    }

    /** @param durable how far a run's events are committed: for a run another primary writes, the store tail's word */
    EventFrameSource(EventFrameCache cache, Store store, SseFrames frames, ToLongFunction<String> durable) {
        this.cache = cache;
        this.store = store;
        this.frames = frames;
        this.durable = durable;
    }

    /**
     * The frames of the run's durable events after {@code afterSeq}, to the end of their {@link FrameBlock} at most;
     * empty when none are durable yet. The run's durable watermark decides whether the store is worth asking, so a
     * hundred followers at the live end of a run do not each read nothing from it; {@code force} asks anyway (after
     * a quiet heartbeat, in case a watermark was missed).
     */
    FrameBlock.Slice after(String runId, long afterSeq, boolean force) {
        long index = FrameBlock.indexOf(afterSeq);
        FrameBlock cached = cache.block(runId, index);
        if (cached != null) {
            FrameBlock.Slice slice = cached.after(afterSeq);
            if (!slice.isEmpty() || cached.sealed()) {
                return slice;
            }
        }
        if (!force && durable.applyAsLong(runId) <= afterSeq) {
            return FrameBlock.Slice.NONE;
        }
        ReentrantLock fill = cache.fillLock(runId);
        fill.lock();
        try {
            // Whoever held the lock before may have read just these events.
            FrameBlock block = cache.block(runId, index);
            if (block == null) {
                block = FrameBlock.empty(index);
            }
            FrameBlock.Slice slice = block.after(afterSeq);
            if (!slice.isEmpty() || block.sealed()) {
                return slice;
            }
            // Everything up to the watermark read before the page is committed, so the page holds all of it.
            long durable = this.durable.applyAsLong(runId);
            List<RunEvent> page = store.events().page(runId, block.upTo(), (int) (block.end() - block.upTo()));
            boolean complete = durable >= block.end() || (!page.isEmpty() && page.getLast().seq() >= block.end());
            FrameBlock grown = block.grow(frames.encode(page), complete);
            cache.put(runId, grown);
            return grown.after(afterSeq);
        } finally {
            fill.unlock();
        }
    }
}
