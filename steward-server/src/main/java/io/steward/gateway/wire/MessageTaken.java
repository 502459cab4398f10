package io.steward.gateway.wire;

/** {@code POST /api/v1/queues/{name}/take}: the next message, or none when the wait ran out. */
public record MessageTaken(String queue, boolean taken,
                           @ApiField(nullable = true, description = "the message (any JSON value); null when none was taken") Object message) {
}
