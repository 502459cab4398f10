package io.steward.gateway.wire;

/** The body of {@code POST /api/v1/queues/{name}/messages}. */
public record QueueMessage(@ApiField(description = "any JSON value", nullable = true) Object message) {
}
