package io.steward.gateway.wire;

import java.util.Map;

/** One time bucket of {@link RunStats}: the runs that ended in it, by final state, and their duration percentiles. */
public record StatsBucket(@ApiField(format = "date-time") String start,
                          @ApiField(description = "final state name (SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, LOST) "
                                  + "to the number of runs that ended in it in this bucket") Map<String, Long> counts,
                          long total,
                          @ApiField(nullable = true, description = "the median duration in ms (linear interpolation, "
                                  + "as SQL's PERCENTILE_CONT) of the bucket's runs that started; null without any")
                          Long p50Ms,
                          @ApiField(nullable = true, description = "the 95th percentile duration in ms, as p50Ms")
                          Long p95Ms) {
}
