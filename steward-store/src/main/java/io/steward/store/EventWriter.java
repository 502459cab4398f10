package io.steward.store;

import io.steward.coordinator.EventSink;
import io.steward.coordinator.RunEvent;
import io.steward.coordinator.RunSnapshot;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

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
 * <p>The writer thread's work, and what it does when the database fails, is {@link WriterLoop}'s.
 */
public final class EventWriter implements EventSink, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EventWriter.class.getName());
    /**
     * How long an invoke waits for its run's record. Below the 25 s in which the stalled-database drill wants every
     * answer, with the 10 s a request may wait for a pooled connection before it.
     */
    static final Duration ADMIT_TIMEOUT = Duration.ofSeconds(10);

    private final LinkedBlockingQueue<WriterItem> queue = new LinkedBlockingQueue<>();
    private final List<Consumer<Set<String>>> commitListeners = new CopyOnWriteArrayList<>();
    private final Watermarks watermarks;
    private final WriterLoop.Counters counters = new WriterLoop.Counters();
    private final Thread thread;
    /** Callers between their check of {@link #closed} and their enqueue; close waits for them to leave. */
    private final LongAdder entering = new LongAdder();
    private volatile boolean closed;
    /** Told of every accepted item after it is queued: the primary's metrics count runs by state with it. */
    private volatile EventSink tap = EventSink.NONE;
    /** Runs told to {@link #holdUntilEnd} whose end is not committed yet. */
    private final Set<String> held = ConcurrentHashMap.newKeySet();

    EventWriter(Database db, int maxBatch) {
        this(db, maxBatch, Duration.ZERO);
    }

    EventWriter(Database db, int maxBatch, Duration linger) {
        this(db, maxBatch, linger, DiskGuard.NONE);
    }

    EventWriter(Database db, int maxBatch, Duration linger, DiskGuard disk) {
        this(db, maxBatch, linger, Duration.ofMillis(20), disk, "primary");
    }

    EventWriter(Database db, int maxBatch, Duration linger, Duration hold, DiskGuard disk, String primaryId) {
        this(db, maxBatch, linger, hold, disk, primaryId, () -> true);
    }

    /** @param announce whether to send commit notices now (PostgreSQL only): whether another primary listens */
    EventWriter(Database db, int maxBatch, Duration linger, Duration hold, DiskGuard disk, String primaryId,
                java.util.function.BooleanSupplier announce) {
        this(db, maxBatch, linger, hold, disk, primaryId, announce, null, 0, Duration.ofMillis(1));
    }

    /**
     * @param log        the embedded store's write-ahead log, or null (see {@link WriteAheadLog})
     * @param lastLogged the number of the last batch in it, replayed or committed already
     * @param shareIdle  how long the writer waits, idle, before committing logged batches (StoreConfig#writerShareIdle)
     */
    EventWriter(Database db, int maxBatch, Duration linger, Duration hold, DiskGuard disk, String primaryId,
                java.util.function.BooleanSupplier announce, WriteAheadLog log, long lastLogged, Duration shareIdle) {
        this.watermarks = new Watermarks(runId -> storedLastSeq(db, runId));
        WriterLoop loop = new WriterLoop(queue, maxBatch, new BatchWriter(db, primaryId, announce), watermarks,
                new OutputOffsets(db), counters, runs -> commitListeners.forEach(l -> l.accept(runs)), linger, hold,
                disk, held, log, lastLogged, shareIdle);
        this.thread = Thread.ofPlatform().name("steward-event-writer").daemon(true).unstarted(loop);
        thread.start();
    }

    // ---- EventSink: enqueue only ----

    @Override
    public void accept(RunEvent event) {
        enqueue(new WriterItem.Event(event));
        tap.accept(event);
    }

    @Override
    public void runCreated(RunSnapshot run) {
        enqueue(new WriterItem.Created(run));
        tap.runCreated(run);
    }

    /**
     * Waits until the run's record is committed, at most {@link #ADMIT_TIMEOUT}. The wait cuts the writer's linger
     * short, and concurrent invokes still share one commit.
     *
     * @throws StoreException when the first attempt to commit it failed (the run is then kept out of the store) or
     *                        the store did not answer in time (the run may then be recorded later, ended)
     */
    @Override
    public void admit(String runId) throws InterruptedException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        enqueue(new WriterItem.Admission(runId, done));
        try {
            done.get(ADMIT_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new StoreException("the store did not record run " + runId + " in time",
                    new java.sql.SQLTransientConnectionException("timed out after " + ADMIT_TIMEOUT.toSeconds() + " s"));
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StoreException known ? known
                    : new StoreException("the store could not record run " + runId, e.getCause());
        }
    }

    /**
     * For a run started before its record was stored (an invoke answered at the run's end): waits, at most
     * {@link #ADMIT_TIMEOUT}, until everything queued so far, the run's record and end among it, is committed.
     *
     * @throws StoreException when that took longer: the run ran, but is not recorded yet
     */
    public void awaitRecorded(String runId) throws InterruptedException {
        // The writer, not this thread, stops holding the run's items, when it takes this flush's barrier: from then on
        // they are committed as they come, even if the run still runs. Taken out here, a writer gathering the run's
        // items would see them unheld before the barrier came and commit them on their own, unlogged: one more
        // commit, and the answered batch's shared commit cut short.
        if (!flush(ADMIT_TIMEOUT, true, runId)) {
            throw new StoreException("run " + runId + " ran, but the store has not recorded it in time; it will appear "
                    + "once the store recovers", new java.sql.SQLTransientConnectionException(
                    "timed out after " + ADMIT_TIMEOUT.toSeconds() + " s"));
        }
    }

    /**
     * Run {@code runId} (not created yet) will be answered for once its end is recorded ({@link #awaitRecorded}):
     * its items may wait in the queue for that flush, up to the store's {@link StoreConfig#writerHold}, so that a
     * short run costs one commit rather than one per burst of its events. Nobody is told of the run before that flush, so holding
     * its items back loses nothing that anyone was promised.
     */
    @Override
    public void holdUntilEnd(String runId) {
        held.add(runId);
    }

    @Override
    public void runEnded(RunSnapshot run) {
        enqueue(new WriterItem.Ended(run));
        tap.runEnded(run);
    }

    /**
     * Hands every item this writer accepts to {@code tap} as well, on the caller's thread and under its run's event
     * lock, right after it is queued: for counting only, so it must be quick and never block. One tap; a second
     * replaces the first.
     */
    public void tap(EventSink tap) {
        this.tap = tap == null ? EventSink.NONE : tap;
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
            if (!(item instanceof WriterItem.Barrier || item instanceof WriterItem.Admission)) {
                counters.pending.incrementAndGet();
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
        return flush(timeout, false, null);
    }

    /**
     * @param answer   whether the batch being in the write-ahead log is enough (see {@link WriterItem.Barrier})
     * @param releases a held run to hold no longer, or null
     */
    private boolean flush(Duration timeout, boolean answer, String releases) throws InterruptedException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        enqueue(new WriterItem.Barrier(done, answer, releases));
        try {
            done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Before a read of the database: if a batch is in the write-ahead log but not yet committed (an invoker was just
     * answered from it), waits for its commit, so that whoever was answered finds the run when they ask for it. Costs
     * two reads of counters otherwise.
     */
    void settle() {
        if (counters.logged.get() == counters.applied.get() || Thread.currentThread() == thread) {
            return;
        }
        try {
            flush(ADMIT_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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

    /**
     * Tells {@code listener}, after each commit, which runs it created, started or ended or gave a {@code state} or
     * {@code progress} event: what lists of runs show. The call comes on the writer thread, so the listener must only
     * hand the ids off, never block; a run's change is told once it is durable.
     *
     * @return what stops the telling
     */
    public Runnable onCommit(Consumer<Set<String>> listener) {
        commitListeners.add(listener);
        return () -> commitListeners.remove(listener);
    }

    // ---- numbers, for health pages and benchmarks ----

    /** Items accepted and not yet committed. */
    public long pending() {
        return counters.pending.get();
    }

    public long eventsWritten() {
        return counters.eventsWritten.get();
    }

    /** Transactions committed: {@code eventsWritten() / batches()} is the mean group size. */
    public long batches() {
        return counters.batches.get();
    }

    /** Items the database refused for good (logged one by one). */
    public long dropped() {
        return counters.dropped.get();
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
                        + "of closing the store", counters.pending.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long storedLastSeq(Database db, String runId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT last_seq FROM runs WHERE id = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }
}
