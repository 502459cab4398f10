package io.steward.gateway.wire;

/** The answer to removing a schedule. */
public record ScheduleRemoved(String name, boolean removed) {
}
