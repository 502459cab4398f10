package io.steward.store;

import io.steward.coordinator.EventSink;
import io.steward.coordinator.RunEvent;
import io.steward.coordinator.RunSnapshot;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The coordinator's {@link EventSink} into the store: a group commit.
 *
 * <p>{@link #accept}, {@link #runCreated} and {@link #runEnded} only append to an unbounded queue: they are called
 * under a run's event lock from script threads and must never wait for the database, and nothing they accept may
 * be dropped. One writer thread takes whatever has queued up (at most {@code maxBatch} items) and commits it in one
 * transaction with one JDBC batch per table, so the cost of a commit is shared by every event that arrived while
 * the previous one was being written: the busier the runs, the bigger the batches. Each event is serialised to JSON
 * once, when its batch is built. Order per run is kept because one thread writes, in queue order, and the queue
 * holds each run's calls in the order the coordinator made them.
 *
 * <p>After a commit the writer raises each run's durable watermark ({@link #durableSeq}); readers that serve events
 * (pages, live streams) serve only up to it, so a client never sees an event that a crash could take back.
 *
 * <p>Failures: a batch the database cannot take right now (connection lost, database restarting) is retried with
 * back-off, forever, holding everything behind it, since later events must not overtake earlier ones. A batch that
 * fails twice with a data error (SQLSTATE class 22 or 23: a value too long, a duplicate) is written item by item so
 * that only the items the database refuses are dropped, each logged and counted in {@link #dropped()}.
 */
public final class EventWriter implements EventSink, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EventWriter.class.getName());
    private static final long MAX_BACKOFF_MS = 5_000;

    private final LinkedBlockingQueue<WriterItem> queue = new LinkedBlockingQueue<>();
    private final int maxBatch;
    private final BatchWriter writer;
    private final Watermarks watermarks;
    private final OutputOffsets offsets;
    private final Thread thread;
    /** Callers between their check of {@link #closed} and their enqueue; close waits for them to leave. */
    private final LongAdder entering = new LongAdder();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong eventsWritten = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    EventWriter(Database db, int maxBatch) {
        this.maxBatch = maxBatch;
        this.writer = new BatchWriter(db);
        this.watermarks = new Watermarks(runId -> storedLastSeq(db, runId));
        this.offsets = new OutputOffsets(db);
        this.thread = Thread.ofPlatform().name("steward-event-writer").daemon(true).unstarted(this::loop);
        thread.start();
    }

    // ---- EventSink: enqueue only ----

    @Override
    public void accept(RunEvent event) {
        enqueue(new WriterItem.Event(event));
    }

    @Override
    public void runCreated(RunSnapshot run) {
        enqueue(new WriterItem.Created(run));
    }

    @Override
    public void runEnded(RunSnapshot run) {
        enqueue(new WriterItem.Ended(run));
    }

    /** An audit entry committed with the next batch: for actions on the hot path, such as invokes. */
    void audit(AuditRow row) {
        enqueue(new WriterItem.Audit(row));
    }

    private void enqueue(WriterItem item) {
        entering.increment();
        try {
            if (closed) {
                throw new IllegalStateException("the event writer is closed: the store has been shut down");
            }
            if (!(item instanceof WriterItem.Barrier)) {
                pending.incrementAndGet();
            }
            queue.add(item);
        } finally {
            entering.decrement();
        }
    }

    // ---- waiting for durability ----

    /**
     * Waits until everything accepted before this call is committed.
     *
     * @return {@code false} if that took longer than {@code timeout}
     */
    public boolean flush(Duration timeout) throws InterruptedException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        enqueue(new WriterItem.Barrier(done));
        try {
            done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Waits, as long as it takes, until everything accepted before this call is committed. */
    public void flush() throws InterruptedException {
        while (!flush(Duration.ofDays(1))) {
            LOG.log(System.Logger.Level.WARNING, "event writer: still flushing after a day");
        }
    }

    /** The highest sequence number of the run whose events up to it are all committed; 0 before any. */
    public long durableSeq(String runId) {
        return watermarks.get(runId);
    }

    /**
     * Waits until the run's durable watermark passes {@code afterSeq} or {@code timeout} runs out, and returns it.
     * A result {@code <= afterSeq} means nothing new became durable in time (or the run has ended: check it).
     */
    public long awaitDurable(String runId, long afterSeq, Duration timeout) throws InterruptedException {
        return watermarks.await(runId, afterSeq, timeout);
    }

    // ---- numbers, for health pages and benchmarks ----

    /** Items accepted and not yet committed. */
    public long pending() {
        return pending.get();
    }

    public long eventsWritten() {
        return eventsWritten.get();
    }

    /** Transactions committed: {@code eventsWritten() / batches()} is the mean group size. */
    public long batches() {
        return batches.get();
    }

    /** Items the database refused for good (logged one by one). */
    public long dropped() {
        return dropped.get();
    }

    /**
     * Refuses new items, writes everything accepted, then stops the writer thread; waits at most {@code timeout}
     * for that and returns whether it finished (if not, what was still queued is lost with the process).
     */
    public boolean close(Duration timeout) throws InterruptedException {
        if (!closed) {
            closed = true;
            // Anyone who passed the closed check before it flipped is counted: let them finish their enqueue.
            while (entering.sum() != 0) {
                Thread.onSpinWait();
            }
            queue.add(new WriterItem.Stop());
        }
        thread.join(timeout);
        return !thread.isAlive();
    }

    /** {@link #close(Duration)} with a minute to drain. */
    @Override
    public void close() {
        try {
            if (!close(Duration.ofMinutes(1))) {
                LOG.log(System.Logger.Level.ERROR, "event writer: {0} items were not written within a minute "
                        + "of closing the store", pending.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the writer thread ----

    private void loop() {
        List<WriterItem> items = new ArrayList<>(maxBatch);
        while (true) {
            try {
                items.add(queue.take());
                queue.drainTo(items, maxBatch - 1);
                if (commit(items)) {
                    return;
                }
            } catch (InterruptedException e) {
                // Nobody interrupts this thread but the JVM going down; keep writing while it lets us.
                Thread.interrupted();
            } catch (RuntimeException | Error e) {
                // A bug must not stop all writing, nor leave a flush waiting forever: fail this batch's barriers,
                // log, and carry on with the next items.
                LOG.log(System.Logger.Level.ERROR, "event writer: unexpected failure; " + items.size()
                        + " items lost", e);
                for (WriterItem item : items) {
                    if (item instanceof WriterItem.Barrier barrier) {
                        barrier.done().completeExceptionally(e);
                    } else if (!(item instanceof WriterItem.Stop)) {
                        pending.decrementAndGet();
                        dropped.incrementAndGet();
                    }
                }
                if (items.stream().anyMatch(WriterItem.Stop.class::isInstance)) {
                    return;
                }
            } finally {
                items.clear();
            }
        }
    }

    /** Commits one batch; returns whether it held the stop marker. */
    private boolean commit(List<WriterItem> items) {
        EventBatch batch = build(items);
        if (batch.hasWork()) {
            if (writeWithRetries(batch)) {
                committed(batch);
                pending.addAndGet(-batch.items);
            } else {
                writeOneByOne(items);
            }
        } else {
            pending.addAndGet(-batch.items);
        }
        batch.barriers.forEach(b -> b.complete(null));
        return batch.stop;
    }

    /** Builds a batch; building may read output offsets from the database, so it waits out an outage too. */
    private EventBatch build(List<WriterItem> items) {
        for (int attempt = 1; ; attempt++) {
            try {
                EventBatch batch = EventBatch.of(items, watermarks, offsets);
                for (String refused : batch.refused) {
                    dropped.incrementAndGet();
                    LOG.log(System.Logger.Level.ERROR, "event writer: dropped " + refused);
                }
                return batch;
            } catch (StoreException e) {
                backoff(attempt, items.size(), e);
            }
        }
    }

    /** Returns {@code false} when the batch keeps failing with a data error, so it has to be split. */
    private boolean writeWithRetries(EventBatch batch) {
        int dataErrors = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                writer.write(batch);
                return true;
            } catch (SQLException e) {
                if (isDataError(e) && ++dataErrors >= 2) {
                    return false;
                }
                backoff(attempt, batch.items, e);
            }
        }
    }

    private static void backoff(int attempt, int items, Exception e) {
        long millis = Math.min(MAX_BACKOFF_MS, 50L << Math.min(attempt, 10));
        if (attempt == 1 || attempt % 10 == 0) {
            LOG.log(System.Logger.Level.WARNING, "event writer: writing " + items + " items failed ("
                    + e.getMessage() + "), attempt " + attempt + "; retrying in " + millis + " ms");
        }
        long until = System.nanoTime() + millis * 1_000_000;
        // Not interruptible: giving up would lose accepted items.
        for (long left = millis; left > 0; left = (until - System.nanoTime()) / 1_000_000) {
            try {
                Thread.sleep(left);
            } catch (InterruptedException ignored) {
                // keep waiting, then keep writing
            }
        }
    }

    /** The fallback for a batch with a bad item: each item alone, so that one bad item costs only itself. */
    private void writeOneByOne(List<WriterItem> items) {
        for (WriterItem item : items) {
            if (item instanceof WriterItem.Barrier || item instanceof WriterItem.Stop) {
                continue;
            }
            EventBatch single = build(List.of(item));
            if (!single.hasWork()) {
                pending.addAndGet(-single.items);
            } else if (writeWithRetries(single)) {
                committed(single);
                pending.addAndGet(-single.items);
            } else {
                dropped.incrementAndGet();
                pending.addAndGet(-single.items);
                LOG.log(System.Logger.Level.ERROR, "event writer: the database refused " + item + "; dropped it");
            }
        }
    }

    private void committed(EventBatch batch) {
        batches.incrementAndGet();
        eventsWritten.addAndGet(batch.events.size());
        batch.outputPositions.forEach(offsets::committed);
        batch.maxSeq.forEach(watermarks::advance);
        for (String runId : batch.ended) {
            offsets.forget(runId);
            watermarks.forget(runId);
        }
    }

    private static boolean isDataError(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    private static long storedLastSeq(Database db, String runId) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT last_seq FROM runs WHERE id = ?")) {
                ps.setString(1, runId);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }
}
