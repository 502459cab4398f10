package io.steward.cluster;

import io.steward.schedule.Scheduler;
import io.steward.store.Store;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A primary's part in a cluster of primaries on one database. {@link #join} writes its row; {@link
 * #markOwnRunsLost} settles the runs its previous process left; {@link #start} takes the leases (synchronously, so a
 * primary alone holds them all before its scheduler could fire) and starts the beat: every beat the leases are
 * renewed first (they are the time-critical part), then the row refreshed. The LOST reaper has a thread of its own
 * so that a slow UPDATE of many runs never delays a renewal. {@link #close} gives the leases up and deletes the row,
 * so that the others take over at once instead of after the TTL.
 */
public final class Cluster implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Cluster.class.getName());

    private final Store store;
    private final String self;
    private final ClusterSettings settings;
    private final PrimaryHeartbeat heartbeat;
    private final Leases leases;
    private final LostRunReaper reaper;
    private final ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("steward-cluster-beat").factory());
    private final ScheduledExecutorService reaping = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("steward-lost-reaper").factory());
    private volatile boolean closed;
    /** Whether other primaries can open this database (PostgreSQL), rather than this process alone (H2). */
    private final boolean shared;
    /** System.nanoTime() of the last lease round; beat thread only (and start, before it runs). */
    private long lastRenewal;

    private Cluster(Store store, ClusterSettings settings, Supplier<String> url, Supplier<List<String>> agents) {
        this.store = store;
        this.self = store.config().primaryId();
        this.shared = store.sharedByPrimaries();
        // An embedded H2 file is opened by one process only: no other primary can take a lease from this one, so it
        // need not beat every second (each beat a commit, and a lone primary should ask its database nothing when idle).
        this.settings = shared ? settings : settings.alone(settings.beat());
        this.heartbeat = new PrimaryHeartbeat(store.primaries(), self, url, agents);
        this.leases = new Leases(store.leases(), self, this.settings.ttl());
        this.reaper = new LostRunReaper(store.runs(), store.primaries(), self,
                this.settings.ttl().plus(this.settings.agentGrace()), leases.gate(Leases.LOST),
                primary -> shared ? store.sharedCoordination().releasePrimary(primary) : 0,
                primary -> shared ? store.dispatch().forgetSentBy(primary) : 0);
    }

    /**
     * Writes this primary's row, so that the others count it alive from now on.
     *
     * @param url    the URL of this primary's API (known once its gateway listens; may give null before)
     * @param agents the names of the agents with a link open to this primary now
     */
    public static Cluster join(Store store, ClusterSettings settings, Supplier<String> url, Supplier<List<String>> agents) {
        Cluster cluster = new Cluster(store, settings, url, agents);
        cluster.heartbeat.register();
        return cluster;
    }

    /**
     * Marks LOST this primary's own runs in progress: they belonged to its previous process. Runs that name no
     * primary (from before the cluster) count as its own only when no other primary is alive; the runs of other
     * primaries are theirs.
     */
    public int markOwnRunsLost(String reason) {
        boolean othersAlive = store.primaries().aliveWithin(settings.ttl()).stream().anyMatch(id -> !id.equals(self));
        return store.runs().markLostOf(self, !othersAlive, reason);
    }

    /**
     * Hands the scheduler and the history pruner to their leases, takes what leases it can now and starts the beat.
     * A scheduler on a database only one primary can open (embedded H2) never needs to re-read its schedules.
     */
    public Cluster start(Scheduler scheduler) {
        store.pruner().onlyWhile(leases.gate(Leases.RETENTION));
        leases.onChange(Leases.SCHEDULE, gained -> {
            if (gained) {
                scheduler.lead(leases.gate(Leases.SCHEDULE));
            } else {
                scheduler.standDown();
            }
        });
        scheduler.startIdle(shared ? settings.ttl().dividedBy(2) : null);
        leases.renew();
        lastRenewal = System.nanoTime();
        heartbeat.beat(true); // the URL is known by now: the others see it at once, not a beat later
        long beatMs = settings.beat().toMillis();
        beat.scheduleWithFixedDelay(this::beat, beatMs, beatMs, TimeUnit.MILLISECONDS);
        if (shared) { // alone, there is no other primary whose runs could be left behind
            long reapMs = Math.max(beatMs, settings.ttl().toMillis() / 2);
            reaping.scheduleWithFixedDelay(reaper::safeRound, reapMs, reapMs, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void beat() {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        // Alone, the leases are renewed only when half their (long) TTL has gone, and the row only when the agents
        // change: an idle primary on its own H2 file commits nothing.
        if (shared || now - lastRenewal > settings.ttl().toNanos() / 2) {
            lastRenewal = now;
            try {
                leases.renew();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "lease round failed: {0}", e.getMessage());
            }
        }
        heartbeat.beat(shared);
    }

    /**
     * Stops beating as a frozen or killed process would: no renewal, no release, the row left to go stale. For the
     * tests of a handover between primaries in one JVM; {@link #close} still cleans up afterwards.
     */
    void halt() {
        closed = true;
        beat.shutdownNow();
        reaping.shutdownNow();
    }

    /** This primary's id. */
    public String self() {
        return self;
    }

    public Leases leases() {
        return leases;
    }

    public ClusterSettings settings() {
        return settings;
    }

    /** One LOST reaper round now, if this primary holds the {@code lost} lease (for tests); the runs it marked. */
    public int reapNow() {
        return reaper.round();
    }

    /** Stops the beat, gives the leases up and deletes this primary's row. Call before the store closes. */
    @Override
    public void close() {
        closed = true;
        beat.shutdownNow();
        reaping.shutdownNow();
        try {
            beat.awaitTermination(5, TimeUnit.SECONDS);
            reaping.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        leases.releaseAll();
        heartbeat.remove();
    }
}
