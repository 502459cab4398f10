package io.steward.gateway.wire;

/** A message was put into a run's inbox. */
public record MessageAccepted(boolean delivered, @ApiField(description = "its event's sequence number") long seq) {
}
