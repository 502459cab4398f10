package io.steward.gateway.wire;

import java.util.List;

/** {@code GET /api/v1/scripts/{name}/history}: every version of a script, oldest first. */
public record ScriptHistory(String name, List<ScriptVersion> versions) {
}
