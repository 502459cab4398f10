package io.steward.gateway.wire;

import java.util.List;

/** A mutex or counting semaphore in use: its holders and, in serving order, its waiters. */
public record Lock(String name, @ApiField(description = "mutex or semaphore") String kind, long permits,
                   List<Holder> holders, List<Holder> waiters) {
}
