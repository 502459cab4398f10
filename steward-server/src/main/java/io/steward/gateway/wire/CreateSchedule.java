package io.steward.gateway.wire;

import java.util.Map;

/** The body of {@code POST /api/v1/schedules}. */
public record CreateSchedule(@ApiField(description = "1 to 64 letters, digits, '.', '_' or '-'") String name,
                             @ApiField(description = "5 Unix fields (minute hour day-of-month month day-of-week), or "
                                     + "6-7 Quartz fields with seconds first and '?' in day-of-month or day-of-week")
                             String cron,
                             @ApiField(description = "the stored script to invoke at each slot") String script,
                             @ApiField(optional = true, description = "a node selector (name, role=web, all): fan out")
                             String on,
                             @ApiField(optional = true, description = "the script's args") Map<String, Object> args,
                             @ApiField(optional = true, description = "a zone such as Europe/Berlin; UTC when absent")
                             String timeZone,
                             @ApiField(optional = true, types = {"string", "integer"},
                                     description = "how late a slot may still run (\"60s\" or milliseconds; 1s to 24h; 60s)")
                             Object grace,
                             @ApiField(optional = true, description = "args each slot's run gets as secret args: "
                                     + "kept sealed with the primary's key, masked as *** in runs, never shown")
                             Map<String, Object> secretArgs) {
}
