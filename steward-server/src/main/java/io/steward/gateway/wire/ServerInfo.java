package io.steward.gateway.wire;

import java.util.Map;

/** {@code GET /api/v1/server}: the primary's node info, uptime, run counts and launcher. */
public record ServerInfo(String name, String host, String os, String arch, long cpus, long memoryBytes,
                         @ApiField(description = "the system load average of the last minute; negative where unknown")
                         double load,
                         Map<String, String> labels, String jvm, String version,
                         @ApiField(format = "date-time") String startedAt,
                         long uptimeMs, RunCounts runs, Launcher launcher) {

    public static ServerInfo of(Map<String, ?> info) {
        return Wire.from(info, ServerInfo.class);
    }
}
