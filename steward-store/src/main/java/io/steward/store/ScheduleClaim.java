package io.steward.store;

import java.time.Instant;

/**
 * One step of a schedule past its due slots, applied by {@link ScheduleStore#claim} only if the schedule still
 * stands at {@code expected}: that compare-and-set is what makes a slot fire at most once.
 *
 * @param name       the schedule
 * @param expected   the {@code nextSlot} the scheduler saw
 * @param slot       the slot to run now, or {@code null} when every due slot is missed
 * @param runId      the id the run of {@code slot} will have (recorded before it starts), or {@code null}
 * @param next       the schedule's new {@code nextSlot}: the first slot after the ones handled; {@code null} for none
 * @param missed     how many due slots are missed by this step
 * @param lastMissed the latest of them, or {@code null} when none is
 */
public record ScheduleClaim(String name, Instant expected, Instant slot, String runId, Instant next, long missed,
                            Instant lastMissed) {

    public ScheduleClaim {
        if ((slot == null) != (runId == null)) {
            throw new IllegalArgumentException("a claimed slot needs its run id, and only a claimed slot has one");
        }
        if (missed < 0 || (missed > 0) != (lastMissed != null)) {
            throw new IllegalArgumentException("missed slots need the latest of them, and only missed slots have one");
        }
    }
}
