package io.steward.gateway.wire;

import java.util.List;

/** An event semaphore that is posted or waited for. */
public record EventState(String name, boolean posted, List<Holder> waiters) {
}
