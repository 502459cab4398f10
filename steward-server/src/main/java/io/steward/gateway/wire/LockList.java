package io.steward.gateway.wire;

import java.util.List;

/** {@code GET /api/v1/locks}: mutexes and semaphores in use, and event semaphores posted or waited for. */
public record LockList(List<Lock> locks, List<EventState> events) {
}
