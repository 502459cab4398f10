package io.steward.gateway.wire;

import java.util.Map;

/** How many runs are live now, and how many the store holds in each state. */
public record RunCounts(long active,
                        @ApiField(description = "run state name to count") Map<String, Long> byState) {
}
