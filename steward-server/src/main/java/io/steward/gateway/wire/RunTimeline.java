package io.steward.gateway.wire;

import java.util.List;

/** {@code GET /api/v1/runs/{id}/timeline}: what the run page's timeline draws, computed from the stored events. */
public record RunTimeline(String run,
                          @ApiField(description = "the run's state when this was read") String state,
                          @ApiField(format = "date-time", nullable = true,
                                  description = "the time of the run's first stored event") String start,
                          @ApiField(format = "date-time", nullable = true,
                                  description = "when the run ended; null while it runs") String end,
                          @ApiField(description = "one per script thread and local process, in the order they started")
                          List<TimelineLane> lanes,
                          @ApiField(description = "how many lanes the run has; more than `lanes` holds when capped")
                          int lanesTotal,
                          @ApiField(description = "status changes, script events, progress and state changes, oldest "
                                  + "first; the latest ones when capped") List<TimelineMark> marks,
                          @ApiField(description = "how many marks the run has") int marksTotal,
                          @ApiField(description = "the last event sequence number read: a live run's timeline holds "
                                  + "every durable event up to it") long throughSeq) {
}
