package io.steward.gateway.wire;

import java.util.List;

/** {@code GET /api/v1/queues}. */
public record QueueList(List<QueueState> queues) {
}
