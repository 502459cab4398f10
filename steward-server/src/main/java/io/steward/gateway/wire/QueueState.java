package io.steward.gateway.wire;

import java.util.List;

/** A queue with messages or takers waiting. */
public record QueueState(String name, long depth, List<Holder> waiters) {
}
