package io.steward.store;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToLongFunction;

/**
 * The durable watermark of each live run: the sequence number up to which its events are committed, and a way to
 * wait for it to pass a number. Readers of the store (event pages, live streams) serve only what is below it.
 *
 * <p>Waiting costs no thread per waiter: each run has at most one pending future, completed and replaced after the
 * commit that moves the run's watermark, so a hundred followers of one run share one future. Ended runs are
 * forgotten once their last events are committed; their watermark is then the store's {@code last_seq}.
 */
final class Watermarks {
    private final Map<String, Long> durable = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> waiters = new ConcurrentHashMap<>();
    private final ToLongFunction<String> stored;

    /** @param stored the watermark of a run not held here: its {@code last_seq} in the store */
    Watermarks(ToLongFunction<String> stored) {
        this.stored = stored;
    }

    long get(String runId) {
        Long seq = durable.get(runId);
        return seq != null ? seq : stored.applyAsLong(runId);
    }

    /** The in-memory watermark only, or -1: used to skip events that are already stored (replays). */
    long known(String runId) {
        Long seq = durable.get(runId);
        return seq != null ? seq : -1;
    }

    /** After a commit: moves the run's watermark and wakes its waiters. */
    void advance(String runId, long seq) {
        durable.merge(runId, seq, Math::max);
        wake(runId);
    }

    /** After the commit of a run's end: its watermark now lives in the store. */
    void forget(String runId) {
        durable.remove(runId);
        wake(runId);
    }

    long await(String runId, long afterSeq, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long seq = get(runId);
            if (seq > afterSeq) {
                return seq;
            }
            CompletableFuture<Void> next = waiters.computeIfAbsent(runId, id -> new CompletableFuture<>());
            // Checked again after registering: a commit between the first check and registering completed the
            // future this waiter did not yet hold.
            seq = get(runId);
            long left = deadline - System.nanoTime();
            if (seq > afterSeq || left <= 0) {
                return seq;
            }
            try {
                next.get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return get(runId);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void wake(String runId) {
        CompletableFuture<Void> waiting = waiters.remove(runId);
        if (waiting != null) {
            waiting.complete(null);
        }
    }
}
