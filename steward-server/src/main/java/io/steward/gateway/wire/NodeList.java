package io.steward.gateway.wire;

import java.util.List;

/** {@code GET /api/v1/nodes}: the primary first, then every agent. */
public record NodeList(List<Node> nodes) {
}
