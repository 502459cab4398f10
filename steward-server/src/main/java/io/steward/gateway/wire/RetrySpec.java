package io.steward.gateway.wire;

/** A retry policy as a request gives it: in an invoke's {@code retry} and a script policy's {@code retry}. */
public record RetrySpec(@ApiField(description = "how many attempts in all, the first included: 1 to 100") Integer attempts,
                        @ApiField(optional = true, types = {"string", "integer"},
                                description = "the wait before the first retry: \"2s\" or milliseconds (0)") Object backoff,
                        @ApiField(optional = true, description = "each later wait is this many times the one before (1: fixed)")
                        Double factor,
                        @ApiField(optional = true, types = {"string", "integer"},
                                description = "no wait is longer than this: \"1m\" or milliseconds") Object maxBackoff) {
}
