package io.steward.gateway.wire;

import java.util.Map;

/** One entry of a run's timeline. */
public record Event(@ApiField(description = "counts from 1 per run with no holes") long seq,
                    @ApiField(description = "state, status, event, progress, log, output, process, thread, shared or gap")
                    String kind,
                    @ApiField(format = "date-time") String time,
                    Map<String, Object> data) {
}
