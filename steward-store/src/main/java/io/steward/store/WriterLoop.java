package io.steward.store;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The event writer's thread: takes whatever has queued up, at most {@code maxBatch} items, builds one
 * {@link EventBatch} of it and commits that; then raises the watermarks and releases the flushes waiting on it.
 *
 * <p>Failures: a batch the database cannot take right now (connection lost, database restarting) is retried with
 * back-off, forever, holding everything behind it, since later events must not overtake earlier ones. A batch that
 * fails twice with a data error (SQLSTATE class 22 or 23: a value too long, a duplicate) is written item by item so
 * that only the items the database refuses are dropped, each logged and counted.
 */
final class WriterLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger(EventWriter.class.getName());
    private static final long MAX_BACKOFF_MS = 5_000;
    /**
     * How long the writer lets a burst of events gather after the first of them wakes it, unless someone waits for
     * durability ({@link EventWriter#flush} wakes it at once). A run's events come in bursts a millisecond or two
     * long (created, thread started, process started, exited, ended): committing each part as it arrives cost an
     * {@code exec} run two or three H2 commits, each a fraction of a millisecond of CPU taken, on a two-core
     * machine, from the child and the run's own threads while they were on the run's critical path. Waiting
     * gathers them into one commit that runs once the run has answered. The cost: a watcher of the durable
     * watermark (a live event stream, the runs list) learns of an event up to this much later.
     */
    private final long lingerNanos;

    /**
     * Lets a burst gather: takes what arrives within the linger, and stops at once at an item someone waits for (a
     * flush's barrier, the stop), which is itself in the queue: no wake-up can be missed.
     */
    private void linger(List<WriterItem> items) throws InterruptedException {
        long deadline = System.nanoTime() + lingerNanos;
        while (items.size() < maxBatch) {
            long left = deadline - System.nanoTime();
            WriterItem next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                return;
            }
            items.add(next);
            if (waitedFor(next)) {
                return;
            }
        }
    }

    /**
     * Whether every item belongs to a run whose invoker waits for its end ({@link EventWriter#holdUntilEnd}), with
     * no one waiting on anything yet: then committing now would only be followed by another commit of the same run
     * a moment later. Audit entries ride along.
     */
    private boolean holdable(List<WriterItem> items) {
        for (WriterItem item : items) {
            if (waitedFor(item)) {
                return false;
            }
            String runId = WriterItem.runIdOf(item);
            if (runId != null ? !held.contains(runId) : !(item instanceof WriterItem.Audit)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Keeps gathering the items of held runs until their invoker's flush arrives (it comes right after the run's end,
     * so a short run is committed whole, once), an item of anyone else arrives, or the deadline passes: a long run's
     * events are still committed every {@link #holdNanos} at most.
     */
    private void hold(List<WriterItem> items, long deadline) throws InterruptedException {
        while (items.size() < maxBatch) {
            long left = deadline - System.nanoTime();
            WriterItem next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                return;
            }
            items.add(next);
            String runId = WriterItem.runIdOf(next);
            if (waitedFor(next) || (runId != null ? !held.contains(runId) : !(next instanceof WriterItem.Audit))) {
                queue.drainTo(items, maxBatch - items.size());
                return;
            }
        }
    }

    private static boolean waitedFor(WriterItem item) {
        return item instanceof WriterItem.Barrier || item instanceof WriterItem.Admission
                || item instanceof WriterItem.Stop;
    }

    /** Shared with the {@link EventWriter} that reports them. */
    static final class Counters {
        /** Items accepted and not yet committed (or dropped). */
        final AtomicLong pending = new AtomicLong();
        final AtomicLong eventsWritten = new AtomicLong();
        final AtomicLong batches = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        /** The number of the last batch written to the write-ahead log, and of the last of those committed. */
        final AtomicLong logged = new AtomicLong();
        final AtomicLong applied = new AtomicLong();
    }

    /** Null without a write-ahead log (PostgreSQL, in-memory H2). Writer thread only. */
    private final WriteAheadLog log;
    /** A write to the log failed, maybe halfway: log nothing more until it is emptied after the next commit. */
    private boolean logBroken;

    /** See {@link #defer}. */
    private static final int MAX_DEFERRED = 64;
    /** How long the writer waits, idle, before committing deferred batches (StoreConfig#writerShareIdle). */
    private final long deferIdleNanos;

    /** A logged batch and the items it was built of (to write them one by one should the database refuse one). */
    private record Deferred(EventBatch batch, List<WriterItem> items) {
    }

    /** Logged batches whose H2 commit waits ({@link #defer}). Writer thread only. */
    private final List<Deferred> deferred = new ArrayList<>();

    /** The longest the writer holds the items of runs whose invokers wait for their end (see {@link #hold}). */
    private final long holdNanos;

    private final BlockingQueue<WriterItem> queue;
    /** Runs whose invoker answers once their end is recorded: their items may wait for it (shared with EventWriter). */
    private final Set<String> held;
    private final int maxBatch;
    private final BatchWriter writer;
    private final Watermarks watermarks;
    private final OutputOffsets offsets;
    private final Counters counters;
    private final Consumer<Set<String>> runsChanged;
    private final DiskGuard disk;
    /**
     * Runs whose admission failed: they never started, their invoker was told the store failed, so none of their
     * items may reach the store later. Each leaves the set with its last item, its end. Writer thread only.
     */
    private final Set<String> withdrawn = new HashSet<>();

    /** @param runsChanged told, after each commit, the runs whose record it changed (see EventWriter#onCommit) */
    WriterLoop(BlockingQueue<WriterItem> queue, int maxBatch, BatchWriter writer, Watermarks watermarks,
               OutputOffsets offsets, Counters counters, Consumer<Set<String>> runsChanged, Duration linger,
               Duration hold, DiskGuard disk, Set<String> held, WriteAheadLog log, long lastLogged,
               Duration shareIdle) {
        this.log = log;
        this.deferIdleNanos = shareIdle.toNanos();
        counters.logged.set(lastLogged);
        counters.applied.set(lastLogged);
        this.held = held;
        this.holdNanos = hold.toNanos();
        this.lingerNanos = linger.toNanos();
        this.disk = disk;
        this.queue = queue;
        this.maxBatch = maxBatch;
        this.writer = writer;
        this.watermarks = watermarks;
        this.offsets = offsets;
        this.counters = counters;
        this.runsChanged = runsChanged;
    }

    @Override
    public void run() {
        List<WriterItem> items = new ArrayList<>(maxBatch);
        while (true) {
            try {
                WriterItem first = deferred.isEmpty() ? queue.take() : queue.poll(deferIdleNanos, TimeUnit.NANOSECONDS);
                if (first == null) {
                    commitDeferred(); // the answered runs' invokers have gone quiet: now H2 gets them, in one commit
                    continue;
                }
                items.add(first);
                if (lingerNanos > 0 && !waitedFor(first)) {
                    linger(items);
                }
                queue.drainTo(items, maxBatch - items.size());
                if (!held.isEmpty() && holdable(items)) {
                    hold(items, System.nanoTime() + holdNanos);
                }
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
                // Logged batches not committed yet stay in the write-ahead log: the next start commits them.
                deferred.forEach(d -> d.batch().barriers.forEach(b -> b.completeExceptionally(e)));
                deferred.clear();
                for (WriterItem item : items) {
                    if (item instanceof WriterItem.Barrier barrier) {
                        barrier.done().completeExceptionally(e);
                    } else if (item instanceof WriterItem.Admission admission) {
                        admission.done().completeExceptionally(e);
                    } else if (!(item instanceof WriterItem.Stop)) {
                        counters.pending.decrementAndGet();
                        counters.dropped.incrementAndGet();
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
        for (WriterItem item : items) {
            if (item instanceof WriterItem.Barrier barrier && barrier.releases() != null) {
                held.remove(barrier.releases());
            }
        }
        disk.beforeWrite();
        skipWithdrawn(items);
        EventBatch batch = build(items);
        batch.admitted.forEach(a -> a.done().complete(null));
        logAhead(batch);
        if (batch.logged > 0 && !batch.stop) {
            defer(batch, items);
            return false;
        }
        if (!deferred.isEmpty()) {
            commitDeferred(); // before this batch: its items may continue runs of theirs
        }
        Set<String> refused = Set.of();
        if (batch.hasWork()) {
            boolean written;
            try {
                written = writeWithRetries(batch);
            } catch (AdmissionsRefused failed) {
                // Invokers wait on runs of this batch: tell them at once rather than hold them while the database is
                // retried, and keep those runs out of the store; the rest of the batch is retried as ever.
                withdraw(batch.admissions, failed.getCause());
                skipWithdrawn(items);
                batch = build(items);
                written = !batch.hasWork() || writeWithRetries(batch);
            }
            if (written) {
                committed(batch);
                counters.pending.addAndGet(-batch.items);
            } else {
                refused = writeOneByOne(items);
                if (batch.logged > 0) {
                    markApplied(batch.logged);
                }
            }
        } else {
            counters.pending.addAndGet(-batch.items);
        }
        Set<String> dropped = refused;
        List<WriterItem.Admission> notRecorded = batch.admissions.stream()
                .filter(a -> dropped.contains(a.runId())).toList();
        withdraw(notRecorded, new SQLException("the database refused the run's record"));
        batch.admissions.forEach(a -> a.done().complete(null));
        if (batch.logged > 0) {
            counters.applied.set(batch.logged);
        }
        batch.answers.forEach(b -> b.complete(null));
        batch.barriers.forEach(b -> b.complete(null));
        emptyLogIfDue();
        return batch.stop;
    }

    /**
     * Writes the batch to the write-ahead log and answers the invokers waiting for it at once, before H2's commit:
     * only a batch someone is answered from, and none with admissions (a refused admission withdraws runs from a
     * batch, which must then not be replayed as logged). If the log cannot be written, they wait for the commit.
     */
    private void logAhead(EventBatch batch) {
        if (log == null || logBroken || batch.answers.isEmpty() || !batch.admissions.isEmpty() || !batch.hasWork()) {
            return;
        }
        long number = counters.logged.get() + 1;
        try {
            log.append(number, BatchCodec.encode(batch));
        } catch (IOException | RuntimeException e) {
            logBroken = true;
            LOG.log(System.Logger.Level.WARNING, "event writer: cannot write to the write-ahead log " + log.file()
                    + " (" + e.getMessage() + "); answers wait for the database's commit until it can");
            return;
        }
        batch.logged = number;
        counters.logged.set(number);
        batch.answers.forEach(b -> b.complete(null));
    }

    /**
     * A logged batch the database took only item by item: its number is recorded on its own, retried while the
     * database is away; if that fails for good, a restart replays the batch, and its items already in are refused.
     */
    private void markApplied(long logged) {
        for (int attempt = 1; ; attempt++) {
            try {
                writer.applied(logged);
                return;
            } catch (SQLException e) {
                if (isDataError(e)) {
                    LOG.log(System.Logger.Level.ERROR, "event writer: cannot record write-ahead log batch " + logged
                            + " as committed: " + e.getMessage());
                    return;
                }
                backoff(attempt, 1, e);
            }
        }
    }

    /**
     * A logged batch whose invokers have had their answer: its H2 commit waits, so that the batches of runs answered
     * one after another share one commit instead of each paying for one (a commit rewrites every B-tree page it
     * touches, about as costly for one run as for sixty). It waits until the writer has had nothing to do for
     * {@link #deferIdleNanos} (1 ms unless configured), {@link #MAX_DEFERRED} batches wait, someone waits for a commit (a flush, a read
     * settling, an admission: {@link EventWriter#settle}), or the writer stops. The output positions the next batches
     * are built on move on now; the durable watermarks, which readers go by, only at the commit.
     */
    private void defer(EventBatch batch, List<WriterItem> items) {
        batch.outputPositions.forEach(offsets::committed);
        deferred.add(new Deferred(batch, List.copyOf(items)));
        if (!batch.barriers.isEmpty() || deferred.size() >= MAX_DEFERRED) {
            commitDeferred();
        }
    }

    /** Commits the deferred batches, in one transaction when the database takes them all, in order otherwise. */
    private void commitDeferred() {
        if (deferred.isEmpty()) {
            return;
        }
        List<EventBatch> batches = deferred.stream().map(Deferred::batch).toList();
        boolean together = writeAllWithRetries(batches);
        if (together) {
            counters.batches.incrementAndGet();
        }
        for (Deferred d : deferred) {
            if (together || writeWithRetries(d.batch())) {
                committed(d.batch(), false, !together);
                counters.pending.addAndGet(-d.batch().items);
            } else {
                writeOneByOne(d.items());
                markApplied(d.batch().logged);
            }
        }
        counters.applied.set(deferred.getLast().batch().logged);
        deferred.forEach(d -> d.batch().barriers.forEach(b -> b.complete(null)));
        deferred.clear();
        emptyLogIfDue();
    }

    /** As {@link #writeWithRetries}, for several batches in one transaction; {@code false} on a data error. */
    private boolean writeAllWithRetries(List<EventBatch> batches) {
        for (int attempt = 1; ; attempt++) {
            try {
                writer.writeAll(batches);
                return true;
            } catch (SQLException e) {
                if (isDataError(e)) {
                    return false;
                }
                backoff(attempt, batches.size(), e);
            }
        }
    }

    /** After a commit everything logged is in the database: the log may start again from empty. */
    private void emptyLogIfDue() {
        if (log == null || (!logBroken && log.size() < WriteAheadLog.RESET_AT)) {
            return;
        }
        try {
            log.reset();
            logBroken = false;
        } catch (IOException e) {
            logBroken = true;
            LOG.log(System.Logger.Level.WARNING, "event writer: cannot empty the write-ahead log " + log.file()
                    + ": " + e.getMessage());
        }
    }

    /** Fails the admissions and withdraws their runs: their items, now and later, are skipped. */
    private void withdraw(List<WriterItem.Admission> admissions, Throwable why) {
        for (WriterItem.Admission admission : admissions) {
            withdrawn.add(admission.runId());
            admission.done().completeExceptionally(why instanceof SQLException sql ? new StoreException(sql)
                    : new StoreException("the store could not record run " + admission.runId(), why));
        }
    }

    /** Takes the items of withdrawn runs, and admissions already answered, out of {@code items}. */
    private void skipWithdrawn(List<WriterItem> items) {
        if (withdrawn.isEmpty()) {
            return;
        }
        int skipped = 0;
        for (java.util.Iterator<WriterItem> it = items.iterator(); it.hasNext(); ) {
            WriterItem item = it.next();
            String runId = WriterItem.runIdOf(item);
            if (item instanceof WriterItem.Admission a && a.done().isDone()) {
                it.remove();
            } else if (runId != null && withdrawn.contains(runId)) {
                it.remove();
                skipped++;
                if (item instanceof WriterItem.Ended) {
                    withdrawn.remove(runId);
                }
            }
        }
        counters.pending.addAndGet(-skipped);
    }

    /** A batch holding runs that invokers wait for failed: they are refused rather than waited out. */
    private static final class AdmissionsRefused extends RuntimeException {
        AdmissionsRefused(SQLException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** Builds a batch; building may read output offsets from the database, so it waits out an outage too. */
    private EventBatch build(List<WriterItem> items) {
        for (int attempt = 1; ; attempt++) {
            try {
                EventBatch batch = EventBatch.of(items, watermarks, offsets);
                for (String refused : batch.refused) {
                    counters.dropped.incrementAndGet();
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
                if (!batch.admissions.isEmpty()) {
                    throw new AdmissionsRefused(e);
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

    /**
     * The fallback for a batch with a bad item: each item alone, so that one bad item costs only itself.
     *
     * @return the runs whose record (Created) the database refused
     */
    private Set<String> writeOneByOne(List<WriterItem> items) {
        Set<String> refusedRuns = new HashSet<>();
        for (WriterItem item : items) {
            if (waitedFor(item)) {
                continue;
            }
            EventBatch single = build(List.of(item));
            if (!single.hasWork()) {
                counters.pending.addAndGet(-single.items);
            } else if (writeWithRetries(single)) {
                committed(single);
                counters.pending.addAndGet(-single.items);
            } else {
                counters.dropped.incrementAndGet();
                counters.pending.addAndGet(-single.items);
                LOG.log(System.Logger.Level.ERROR, "event writer: the database refused " + item + "; dropped it");
                if (item instanceof WriterItem.Created created) {
                    refusedRuns.add(created.run().id());
                }
            }
        }
        return refusedRuns;
    }

    private void committed(EventBatch batch) {
        committed(batch, true, true);
    }

    /**
     * @param positions whether to move the output positions on (a deferred batch's moved when it was logged)
     * @param commit    whether the batch was a commit of its own (deferred ones share one)
     */
    private void committed(EventBatch batch, boolean positions, boolean commit) {
        if (commit) {
            counters.batches.incrementAndGet();
        }
        counters.eventsWritten.addAndGet(batch.events.size());
        if (positions) {
            batch.outputPositions.forEach(offsets::committed);
        }
        batch.maxSeq.forEach(watermarks::advance);
        for (String runId : batch.ended) {
            offsets.forget(runId);
            watermarks.forget(runId);
            held.remove(runId);
        }
        Set<String> changed = batch.listedChanges();
        if (!changed.isEmpty()) {
            try {
                runsChanged.accept(changed);
            } catch (RuntimeException e) {
                // A listener's bug must not stop the writer: what it missed, its clients re-read on reconnect.
                LOG.log(System.Logger.Level.ERROR, "event writer: a commit listener failed", e);
            }
        }
    }

    private static boolean isDataError(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }
}
