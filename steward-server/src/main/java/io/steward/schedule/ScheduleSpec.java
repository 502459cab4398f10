package io.steward.schedule;

import java.time.Duration;
import java.util.Map;

/**
 * What {@code steward schedule add} and {@code POST /api/v1/schedules} ask for; {@link Scheduler#add} checks it.
 *
 * @param timeZone a zone name; {@code null} for UTC
 * @param on       a node selector to fan out to; {@code null} to run on the primary
 * @param grace    how late a slot may still run; {@code null} for {@link Scheduler#DEFAULT_GRACE}
 * @param secretArgs args kept sealed with the primary's key and handed to each slot's run as its secret args
 */
public record ScheduleSpec(String name, String cron, String timeZone, String script, String on,
                           Map<String, Object> args, Duration grace, Map<String, Object> secretArgs) {

    public ScheduleSpec {
        secretArgs = secretArgs == null ? Map.of() : secretArgs;
    }

    public ScheduleSpec(String name, String cron, String timeZone, String script, String on, Map<String, Object> args,
                        Duration grace) {
        this(name, cron, timeZone, script, on, args, grace, Map.of());
    }
}
