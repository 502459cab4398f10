package io.steward.cluster;

import io.steward.store.LeaseStore;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The leases this primary holds or wants: every {@link #renew} round takes or renews each of them by compare-and-set
 * ({@link LeaseStore#take}). A lease counts as held only until its local deadline: the time the last successful
 * renewal was <em>sent</em> plus the TTL, less a margin, on this JVM's monotonic clock. The database set the expiry
 * from its own clock after that moment, so the local deadline always passes first: a holder whose renewals fail or
 * stall (a long pause, a database gone silent) stops its work before another primary can take the lease, and no two
 * primaries do the work at once.
 *
 * <p>Listeners hear each change, gained or lost, on the renewing thread; they must return quickly. Work that runs
 * on its own thread must also ask {@link #holds} (or a {@link #gate}) before each step, since a lost lease is only
 * noticed at the next round.
 */
public final class Leases {
    /** Fires schedules. */
    public static final String SCHEDULE = "schedule";
    /** Marks LOST the runs of primaries that died. */
    public static final String LOST = "lost";
    /** Prunes old history. */
    public static final String RETENTION = "retention";
    public static final List<String> ALL = List.of(SCHEDULE, LOST, RETENTION);
    private static final System.Logger LOG = System.getLogger(Leases.class.getName());

    private final LeaseStore store;
    private final String self;
    private final Duration ttl;
    private final long marginNanos;
    private final Map<String, Held> leases = new LinkedHashMap<>();

    private static final class Held {
        /** System.nanoTime() after which the lease no longer counts as ours; 0 when not held. */
        volatile long until;
        final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    }

    public Leases(LeaseStore store, String self, Duration ttl) {
        this.store = store;
        this.self = self;
        this.ttl = ttl;
        this.marginNanos = Math.min(ttl.toNanos() / 5, Duration.ofMillis(500).toNanos());
        ALL.forEach(name -> leases.put(name, new Held()));
    }

    /** Tells {@code listener} each time lease {@code name} is gained ({@code true}) or lost ({@code false}). */
    public void onChange(String name, Consumer<Boolean> listener) {
        held(name).listeners.add(listener);
    }

    /** Whether this primary holds lease {@code name} now (its local deadline has not passed). */
    public boolean holds(String name) {
        long until = held(name).until;
        return until != 0 && System.nanoTime() - until < 0;
    }

    /** {@link #holds} for one lease, to hand to work that checks before each step. */
    public BooleanSupplier gate(String name) {
        Held h = held(name);
        return () -> {
            long until = h.until;
            return until != 0 && System.nanoTime() - until < 0;
        };
    }

    /** Takes or renews every lease once; called at start (synchronously) and then every beat. */
    public synchronized void renew() {
        for (Map.Entry<String, Held> e : leases.entrySet()) {
            Held h = e.getValue();
            boolean had = holds(e.getKey());
            long sent = System.nanoTime();
            boolean ok;
            try {
                ok = store.take(e.getKey(), self, ttl);
            } catch (RuntimeException failure) {
                ok = false;
                if (had) {
                    LOG.log(System.Logger.Level.WARNING, "could not renew the {0} lease: {1}; giving up its work",
                            e.getKey(), failure.getMessage());
                }
            }
            if (ok) {
                h.until = sent + ttl.toNanos() - marginNanos;
                if (h.until == 0) {
                    h.until = 1;
                }
            } else {
                h.until = 0;
            }
            if (ok != had) {
                LOG.log(System.Logger.Level.INFO, ok ? "took the {0} lease" : "lost the {0} lease", e.getKey());
                tell(h, ok);
            }
        }
    }

    /** Gives every held lease up (a clean close), so that another primary takes them at once. */
    public synchronized void releaseAll() {
        for (Map.Entry<String, Held> e : leases.entrySet()) {
            Held h = e.getValue();
            boolean had = holds(e.getKey());
            h.until = 0;
            if (had) {
                tell(h, false);
                try {
                    store.release(e.getKey(), self);
                } catch (RuntimeException failure) {
                    // it lapses within the TTL anyway
                    LOG.log(System.Logger.Level.WARNING, "could not release the {0} lease: {1}", e.getKey(),
                            failure.getMessage());
                }
            }
        }
    }

    private static void tell(Held h, boolean gained) {
        for (Consumer<Boolean> l : h.listeners) {
            try {
                l.accept(gained);
            } catch (RuntimeException failure) {
                LOG.log(System.Logger.Level.ERROR, "a lease listener failed", failure);
            }
        }
    }

    private Held held(String name) {
        Held h = leases.get(name);
        if (h == null) {
            throw new IllegalArgumentException("no lease named " + name + "; leases are " + ALL);
        }
        return h;
    }
}
