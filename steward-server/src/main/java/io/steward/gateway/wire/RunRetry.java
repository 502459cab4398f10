package io.steward.gateway.wire;

/** Which attempt of a retry chain a run is. */
public record RunRetry(@ApiField(description = "the chain's first run") String of,
                       @ApiField(description = "this run's attempt, from 1") long attempt,
                       @ApiField(description = "attempts in all") long attempts) {
}
