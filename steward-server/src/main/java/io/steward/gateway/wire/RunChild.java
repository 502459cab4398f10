package io.steward.gateway.wire;

import io.steward.coordinator.RunState;

/** What a parent run shows of each of its children. */
public record RunChild(String id, String node, RunState state,
                       @ApiField(nullable = true) Object result,
                       @ApiField(nullable = true) ScriptError error) {
}
