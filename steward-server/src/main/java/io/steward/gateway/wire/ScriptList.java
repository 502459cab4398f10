package io.steward.gateway.wire;

import java.util.List;

/** {@code GET /api/v1/scripts}: the latest version of every script. */
public record ScriptList(List<ScriptVersion> scripts) {
}
