package io.steward.gateway.wire;

import io.steward.coordinator.RunState;

/** One attempt of a retry chain. */
public record RetryRun(String id, long attempt,
                       @ApiField(nullable = true, description = "null while the store has not recorded the run yet")
                       RunState state) {
}
