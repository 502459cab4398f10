package io.steward.gateway.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * What describes a node (claim 22), as {@code io.steward.coordinator.NodeInfo#toMap()} writes it. The primary's is
 * complete; an agent's is what the agent reported, and an agent may leave fields out (they are then absent here too)
 * or add fields a newer version knows (dropped rather than refused, so that one agent cannot break the node list).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeInfo(@ApiField(description = "every other field may be absent in what an agent reported")
                       String name,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String host,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String os,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String arch,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Long cpus,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Long memoryBytes,
                       @JsonInclude(JsonInclude.Include.NON_NULL)
                       @ApiField(description = "the system load average of the last minute; negative where unknown")
                       Double load,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> labels,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String jvm,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String version,
                       @JsonInclude(JsonInclude.Include.NON_NULL) @ApiField(format = "date-time") String startedAt) {
}
