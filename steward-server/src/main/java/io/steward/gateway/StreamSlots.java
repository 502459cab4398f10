package io.steward.gateway;

import io.steward.metrics.ServerMetrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the live streams (a run's events as SSE, the change feed) each token holds open, and refuses one more than
 * {@link Limits#streamsPerToken}: every open stream keeps a request thread and a connection, so one client with a
 * leaked loop of EventSource objects could otherwise hold the primary's connections. Counted per token name (a run
 * token counts for its run). A slot is freed when its stream ends, however it ends.
 */
final class StreamSlots {
    private final int max;
    private final ServerMetrics metrics;
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();

    StreamSlots(int max, ServerMetrics metrics) {
        this.max = max;
        this.metrics = metrics;
    }

    /** A slot for {@code caller}'s new stream; close it when the stream ends. */
    Slot open(Caller caller) {
        String token = caller.name();
        AtomicInteger count = open.computeIfAbsent(token, k -> new AtomicInteger());
        int now = count.incrementAndGet();
        if (max > 0 && now > max) {
            release(token, count);
            metrics.refused(ServerMetrics.STREAMS_PER_TOKEN);
            throw new ApiError(429, "too_many_streams", "the token '" + token + "' has " + max + " streams open, the "
                    + "limit per token (steward server --max-streams-per-token): close one (or stop a page that "
                    + "follows runs) before opening another", Refusal.details(ServerMetrics.STREAMS_PER_TOKEN, max, now));
        }
        return () -> release(token, count);
    }

    private void release(String token, AtomicInteger count) {
        if (count.decrementAndGet() == 0) {
            open.remove(token, count);
        }
    }

    /** An open stream's slot. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }
}
