package io.steward.gateway.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.Map;

/**
 * What describes a node (claim 22), as {@code io.steward.coordinator.NodeInfo#toMap()} writes it. An agent reports
 * its own; fields a newer agent adds are dropped rather than refused, so that one agent cannot break the node list.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeInfo(String name, String host, String os, String arch, long cpus, long memoryBytes,
                       @ApiField(description = "the system load average of the last minute; negative where unknown")
                       double load,
                       Map<String, String> labels, String jvm, String version,
                       @ApiField(format = "date-time") String startedAt) {
}
