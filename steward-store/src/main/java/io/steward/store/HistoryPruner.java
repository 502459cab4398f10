package io.steward.store;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The periodic duty that keeps history bounded: every {@code every}, deletes finished runs (with their events and
 * output) older than {@code keepFor} or beyond the newest {@code keepRuns}. Runs on its own daemon thread, so a slow
 * prune never delays anything else; a failed round is logged and the next one tries again.
 */
public final class HistoryPruner implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(HistoryPruner.class.getName());

    private final RunStore runs;
    private final Duration keepFor;
    private final int keepRuns;
    private ScheduledExecutorService timer;
    /** Whether this primary does the pruning; with several primaries only the holder of the retention lease does. */
    private volatile java.util.function.BooleanSupplier duty = () -> true;

    HistoryPruner(RunStore runs, Duration keepFor, int keepRuns) {
        this.runs = runs;
        this.keepFor = keepFor;
        this.keepRuns = keepRuns;
    }

    /** Runs a round now, on the calling thread; returns how many runs it deleted. */
    public int pruneNow() {
        if (keepFor == null && keepRuns == 0) {
            return 0;
        }
        int deleted = runs.prune(keepFor, keepRuns);
        if (deleted > 0) {
            LOG.log(System.Logger.Level.INFO, "history pruner: deleted {0} finished runs", deleted);
        }
        return deleted;
    }

    /**
     * Makes the periodic rounds run only while {@code duty} says so (several primaries on one database prune once,
     * on the one holding the retention lease). {@link #pruneNow} is not affected.
     */
    public void onlyWhile(java.util.function.BooleanSupplier duty) {
        this.duty = java.util.Objects.requireNonNull(duty);
    }

    /** Starts the rounds: the first after {@code every}, so start-up is not slowed by a big prune. */
    synchronized void start(Duration every) {
        if (timer != null || every == null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("steward-history-pruner").daemon(true).factory());
        long millis = Math.max(1, every.toMillis());
        timer.scheduleWithFixedDelay(this::round, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void round() {
        if (!duty.getAsBoolean()) {
            return;
        }
        try {
            pruneNow();
        } catch (RuntimeException e) {
            // Thrown out of a scheduled task it would cancel every later round.
            LOG.log(System.Logger.Level.WARNING, "history pruner: this round failed; the next one retries", e);
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timer = null;
        }
    }
}
