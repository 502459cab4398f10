package io.steward.gateway.wire;

import io.steward.coordinator.RunState;

/** A run in a script's trend: enough to draw its bar and link to it. */
public record RecentRun(String id, RunState state,
                        @ApiField(nullable = true, description = "null until it has started and ended") Long durationMs,
                        @ApiField(format = "date-time", nullable = true) String startedAt,
                        @ApiField(format = "date-time", nullable = true) String endedAt) {
}
