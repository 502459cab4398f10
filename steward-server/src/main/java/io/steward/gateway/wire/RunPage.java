package io.steward.gateway.wire;

import java.util.List;

/** {@code GET /api/v1/runs}: a page of runs, newest first. */
public record RunPage(List<Run> runs,
                      @ApiField(nullable = true, description = "the cursor of the next page; null on the last")
                      String next) {
}
