package io.steward.cluster;

import io.steward.store.PrimaryStore;
import io.steward.store.RunStore;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The holder of the {@code lost} lease marks LOST the runs in progress whose primary is gone: unseen for the TTL plus
 * the agents' grace, so that an agent of the dead primary can fail over first and another primary adopt its runs
 * (adoption rewrites {@code runs.primary_id}, and the UPDATE here only matches the dead primary's id). A primary that
 * closed cleanly deleted its row, so when it went is not known: the reaper counts the same wait from the round it
 * first found the row missing. Each primary marks its own runs LOST at its start; this is for those that never come
 * back. When it gives a gone primary's runs up it also releases every lock, permit and pool entry that primary's runs
 * held in the shared coordination (one DELETE by its id): nothing held outlives its holder. The children its fan-outs
 * handed to other primaries are forgotten too: those not started never start, for their parent is LOST.
 */
final class LostRunReaper {
    private static final System.Logger LOG = System.getLogger(LostRunReaper.class.getName());

    private final RunStore runs;
    private final PrimaryStore primaries;
    private final String self;
    private final Duration silentFor;
    private final BooleanSupplier holding;
    /** Releases the coordination holds of a primary that is gone; returns how many. */
    private final java.util.function.ToIntFunction<String> releaseHolds;
    /** Drops the children a gone primary handed on; returns how many had not started. */
    private final java.util.function.ToIntFunction<String> forgetHandedOn;
    /** Primaries owning live runs but without a row, and since when (System.nanoTime()) this reaper knows it. */
    private final Map<String, Long> missingSince = new HashMap<>();

    LostRunReaper(RunStore runs, PrimaryStore primaries, String self, Duration silentFor, BooleanSupplier holding,
                  java.util.function.ToIntFunction<String> releaseHolds,
                  java.util.function.ToIntFunction<String> forgetHandedOn) {
        this.runs = runs;
        this.primaries = primaries;
        this.self = self;
        this.silentFor = silentFor;
        this.holding = holding;
        this.releaseHolds = releaseHolds;
        this.forgetHandedOn = forgetHandedOn;
    }

    /** One round; returns how many runs it marked LOST. */
    synchronized int round() {
        if (!holding.getAsBoolean()) {
            missingSince.clear(); // the next holder starts counting afresh: it may only wait longer, never less
            return 0;
        }
        Set<String> owners = runs.primariesWithLiveRuns();
        owners.remove(self);
        missingSince.keySet().retainAll(owners);
        if (owners.isEmpty()) {
            return 0;
        }
        Set<String> alive = primaries.aliveWithin(silentFor);
        Set<String> known = primaries.known();
        int marked = 0;
        long now = System.nanoTime();
        for (String owner : owners) {
            if (alive.contains(owner)) {
                missingSince.remove(owner);
                continue;
            }
            if (!known.contains(owner)) {
                long since = missingSince.computeIfAbsent(owner, o -> now);
                if (now - since < silentFor.toNanos()) {
                    continue;
                }
            }
            if (!holding.getAsBoolean()) {
                return marked;
            }
            int n = runs.markLostOfSilentPrimary(owner, silentFor, "its primary " + owner + " stopped (unseen for "
                    + silentFor.toSeconds() + " s) and no other primary took the run over");
            if (n > 0) {
                LOG.log(System.Logger.Level.WARNING, "{0} runs of primary {1}, gone, marked LOST", n, owner);
            }
            int released = releaseHolds.applyAsInt(owner);
            if (released > 0) {
                LOG.log(System.Logger.Level.WARNING, "{0} locks and pool entries held by runs of primary {1}, gone, "
                        + "released", released, owner);
            }
            int dropped = forgetHandedOn.applyAsInt(owner);
            if (dropped > 0) {
                LOG.log(System.Logger.Level.WARNING, "{0} children that primary {1}, gone, handed on and no primary "
                        + "had started dropped", dropped, owner);
            }
            marked += n;
            missingSince.remove(owner);
        }
        return marked;
    }

    void safeRound() {
        try {
            round();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "LOST reaper: this round failed; the next one retries: {0}",
                    e.getMessage());
        }
    }
}
