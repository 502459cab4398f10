package io.steward.gateway.wire;

import java.util.Map;

/** A cron schedule and where its firing stands ({@code io.steward.store.ScheduleRecord#toMap()}). */
public record Schedule(String name,
                       @ApiField(description = "5 Unix fields, or 6-7 Quartz fields with seconds first") String cron,
                       @ApiField(description = "the zone its slots are computed in") String timeZone,
                       @ApiField(description = "the stored script each slot invokes (its latest version)") String script,
                       @ApiField(nullable = true, description = "the node selector each slot fans out to") String on,
                       @ApiField(description = "the script's args (a run also gets _schedule: {name, slot})")
                       Map<String, Object> args,
                       @ApiField(description = "a slot found later than this is missed instead of run") long graceMs,
                       boolean paused,
                       @ApiField(format = "date-time", nullable = true,
                               description = "the next slot; null while paused or when it fires no more")
                       String nextSlot,
                       @ApiField(format = "date-time", nullable = true, description = "the latest slot that was claimed to run")
                       String lastSlot,
                       @ApiField(nullable = true, description = "the run of lastSlot") String lastRun,
                       @ApiField(nullable = true, description = "CLAIMED (starting), STARTED or FAILED") String lastOutcome,
                       @ApiField(nullable = true, description = "why the last slot's run could not start") String lastError,
                       @ApiField(description = "runs it started") long fired,
                       @ApiField(description = "slots that did not run: the primary was down or late, or the run "
                               + "could not start") long missed,
                       @ApiField(format = "date-time", nullable = true, description = "the latest missed slot")
                       String lastMissed,
                       @ApiField(format = "date-time") String createdAt,
                       String createdBy,
                       @ApiField(description = "the names of its secret args; their values are never shown")
                       java.util.List<String> secretArgs) {

    public static Schedule of(Map<String, ?> schedule) {
        return Wire.from(schedule, Schedule.class);
    }
}
