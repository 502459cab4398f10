package io.steward.gateway.wire;

import java.util.List;

/**
 * {@code GET /api/v1/stats/runs}: aggregate statistics of the runs that ended in a window, per time bucket and per
 * script, computed by the store.
 */
public record RunStats(@ApiField(format = "date-time", description = "the start of the first bucket") String since,
                       @ApiField(format = "date-time", description = "the end of the window (now)") String until,
                       @ApiField(description = "hour or day; buckets start at whole hours or days UTC") String bucket,
                       @ApiField(description = "every bucket of the window, oldest first, empty ones included")
                       List<StatsBucket> buckets,
                       @ApiField(description = "runs by final state over the whole window") java.util.Map<String, Long> totals,
                       @ApiField(description = "each script with runs that ended in the window (or named by script=), "
                               + "by name; a script-scoped token sees its scripts only") List<ScriptStats> scripts) {
}
