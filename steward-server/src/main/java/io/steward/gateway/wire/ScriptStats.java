package io.steward.gateway.wire;

import java.util.List;

/** One script in {@link RunStats}: how its runs in the window ended, and its newest runs for a trend. */
public record ScriptStats(String script,
                          @ApiField(description = "its runs that ended in the window") long runs,
                          @ApiField(description = "how many of them SUCCEEDED") long succeeded,
                          @ApiField(nullable = true, description = "succeeded / runs, from 0 to 1; null without runs")
                          Double successRate,
                          @ApiField(description = "its newest runs in any state, newest first (up to recent=)")
                          List<RecentRun> recent) {
}
