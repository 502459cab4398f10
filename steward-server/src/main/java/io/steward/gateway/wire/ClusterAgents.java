package io.steward.gateway.wire;

import java.util.List;

/** The agents with a link open to one primary at its last refresh. */
public record ClusterAgents(long count, @ApiField(description = "their node names, sorted") List<String> names) {
}
