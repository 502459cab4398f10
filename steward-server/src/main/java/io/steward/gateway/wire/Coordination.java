package io.steward.gateway.wire;

import java.util.List;

/** {@code GET /api/v1/coordination}: every lock, event, queue and pool in use, for the console. */
public record Coordination(List<Lock> locks, List<EventState> events, List<QueueState> queues, List<Pool> pools) {
}
