package io.steward.gateway.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/** A node as {@code GET /api/v1/nodes} shows it: its state, labels and info, and how many runs it has now. */
public record Node(String name,
                   @ApiField(description = "online, offline, pending or revoked") String state,
                   Map<String, String> labels,
                   @ApiField(format = "date-time", description = "when it was last heard from") String lastSeen,
                   @JsonInclude(JsonInclude.Include.NON_NULL)
                   @ApiField(description = "true on the primary itself; absent on agents") Boolean primary,
                   @ApiField(description = "how many runs it has now") long running,
                   NodeInfo info) {

    public static Node of(Map<String, ?> node) {
        return Wire.from(node, Node.class);
    }
}
