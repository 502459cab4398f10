package io.steward.gateway.wire;

import java.util.List;

/** {@code GET /api/v1/schedules}: every schedule, by name. */
public record ScheduleList(List<Schedule> schedules) {
}
