package io.steward.drills;

import io.steward.client.StewardApiException;
import io.steward.client.StewardClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Clients invoking runs from virtual threads until stopped, keeping the id of every run the API accepted (the drills
 * then check that none was lost) and counting the refusals by status and code (which must be clear errors, never a
 * hang). {@code next} makes the i-th request: a script and its {@code on} selector (null: on the primary).
 */
final class Load implements AutoCloseable {
    record Request(String script, Map<String, ?> args, String on) {
    }

    final Queue<String> accepted = new ConcurrentLinkedQueue<>();
    final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong slowestNanos = new AtomicLong();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    /** {@code clients} threads, each invoking one request after another, until {@link #close()} or {@code total}. */
    Load(StewardClient client, int clients, long total, IntFunction<Request> next) {
        this(client, clients, total, 0, next);
    }

    /** The same, each client waiting {@code paceMillis} after each request: a steady rate the machine can serve. */
    Load(StewardClient client, int clients, long total, long paceMillis, IntFunction<Request> next) {
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofVirtual().name("load-" + c).start(() -> {
                while (!stopping.get()) {
                    long i = sequence.getAndIncrement();
                    if (i >= total) {
                        return;
                    }
                    Request r = next.apply((int) i);
                    long t0 = System.nanoTime();
                    try {
                        Map<String, Object> run = client.invoke(r.script(), null, r.args(), null, null,
                                r.on() == null ? null : Map.of("on", r.on()));
                        accepted.add((String) run.get("id"));
                    } catch (StewardApiException e) {
                        refused.computeIfAbsent(e.status() + " " + e.code(), k -> new AtomicLong()).incrementAndGet();
                        if (e.noAnswer()) {
                            pause(); // the primary is down: do not spin
                        }
                    } finally {
                        slowestNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                    }
                    if (paceMillis > 0) {
                        sleep(paceMillis);
                    }
                }
            }));
        }
    }

    private static void pause() {
        sleep(200);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The longest any request took to be answered (or to fail). */
    long slowestMillis() {
        return slowestNanos.get() / 1_000_000;
    }

    int acceptedCount() {
        return accepted.size();
    }

    /** Waits until every client has sent its last request. */
    void join() throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopping.set(true);
        join();
    }
}
