package io.steward.gateway.wire;

import java.util.List;

/** {@code GET /api/v1/runs/{id}/retries}: a first run's chain of attempts. */
public record RetryChain(@ApiField(description = "the first run") String of,
                         @ApiField(description = "attempts in all") long attempts,
                         @ApiField(description = "RUNNING (an attempt is current), WAITING (the next is due) or DONE")
                         String state,
                         @ApiField(format = "date-time", nullable = true, description = "when the next attempt starts")
                         String dueAt,
                         @ApiField(description = "the attempts so far, first first") List<RetryRun> runs) {
}
