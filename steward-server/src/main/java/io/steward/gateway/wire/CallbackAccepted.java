package io.steward.gateway.wire;

/** A callback was applied to its run. */
public record CallbackAccepted(String run, @ApiField(description = "the sequence number of the event it made") long seq) {
}
