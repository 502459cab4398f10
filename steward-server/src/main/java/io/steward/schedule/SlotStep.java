package io.steward.schedule;

import io.steward.store.ScheduleClaim;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The misfire rule: what a schedule does when it is found at or past its next slot.
 *
 * <p>Every slot from the schedule's {@code nextSlot} up to now is due. Only the latest of them may run, and only if
 * it is late by no more than the schedule's grace (60 s by default); every other due slot is missed. So after a
 * primary was down over several slots, at most one run catches up, and none if the last slot it slept through is
 * older than the grace. While the primary runs, a slot is late by milliseconds and runs. Slots are counted one by one
 * up to {@value #COUNT_LIMIT}; past that the missed count is a lower bound (a per-second schedule down for more than a
 * day).
 */
final class SlotStep {
    static final int COUNT_LIMIT = 100_000;

    private SlotStep() {
    }

    /**
     * The step for a schedule due at {@code expected} (not after {@code now}).
     *
     * @param following the slot after {@code expected} if already known (computed while the schedule waited, so
     *                  that firing on time asks cron-utils nothing), else {@code null}
     * @param runIds    makes the id of the run to start, called only when a slot runs
     */
    static ScheduleClaim step(String name, CronSlots slots, Instant expected, Optional<Instant> following,
                              Instant now, Duration grace, Supplier<String> runIds) {
        if (expected.isAfter(now)) {
            throw new IllegalArgumentException("the slot " + expected + " of '" + name + "' is not due at " + now);
        }
        Instant latest = expected;
        Instant previous = null;
        long due = 1;
        Instant next = (following != null ? following : slots.after(latest)).orElse(null);
        while (next != null && !next.isAfter(now)) {
            if (due == COUNT_LIMIT) {
                latest = slots.atOrBefore(now).orElse(latest);
                previous = slots.atOrBefore(latest.minusSeconds(1)).orElse(null);
                next = slots.after(latest).orElse(null);
                break;
            }
            previous = latest;
            latest = next;
            due++;
            next = slots.after(latest).orElse(null);
        }
        boolean inGrace = Duration.between(latest, now).compareTo(grace) <= 0;
        if (inGrace) {
            return new ScheduleClaim(name, expected, latest, runIds.get(), next, due - 1, due > 1 ? previous : null);
        }
        return new ScheduleClaim(name, expected, null, null, next, due, latest);
    }
}
