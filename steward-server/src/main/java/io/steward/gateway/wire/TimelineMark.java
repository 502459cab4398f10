package io.steward.gateway.wire;

import java.util.Map;

/** A moment on a run's time axis: a status change, a script event, progress or a state change. */
public record TimelineMark(@ApiField(description = "the event's sequence number") long seq,
                           @ApiField(description = "status, event, progress or state") String kind,
                           @ApiField(format = "date-time") String time,
                           @ApiField(description = "the event's data (a state change's without its result)")
                           Map<String, Object> data) {
}
