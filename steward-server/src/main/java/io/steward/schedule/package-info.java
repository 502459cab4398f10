/**
 * Cron schedules: {@link io.steward.schedule.Scheduler} wakes when the earliest slot of all schedules is due, claims
 * the due slots in the store (at most once each, across restarts) and invokes their scripts through the
 * coordinator as an API invoke would, with {@code schedule:NAME} as the invoker. {@link io.steward.schedule.CronSlots}
 * says which expressions are accepted and where their slots fall; {@link io.steward.schedule.SlotStep} is the
 * misfire rule.
 */
package io.steward.schedule;
