package io.steward.store;

import java.time.Instant;

/**
 * Whether the run of a claimed slot started.
 *
 * @param error why it could not start (the slot then counts as missed), or {@code null} when it started
 */
public record ScheduleOutcome(String name, String runId, Instant slot, String error) {
}
