package io.steward.gateway.wire;

import io.steward.coordinator.NodeInfo;

/** {@code GET /health}: the server answers, and with which version. */
public record Health(@ApiField(description = "always ok") String status, String version) {
    public static Health ok() {
        return new Health("ok", NodeInfo.VERSION);
    }
}
