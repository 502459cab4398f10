package io.steward.gateway.wire;

import java.util.Map;

/** A stored retry policy. */
public record RetryPolicy(@ApiField(description = "attempts in all, the first included") long attempts,
                          @ApiField(description = "the wait before the first retry") long backoffMs,
                          @ApiField(description = "each later wait is this many times the one before") double factor,
                          @ApiField(nullable = true, description = "the longest wait") Long maxBackoffMs) {
    public static RetryPolicy of(Map<String, ?> policy) {
        return Wire.from(policy, RetryPolicy.class);
    }
}
