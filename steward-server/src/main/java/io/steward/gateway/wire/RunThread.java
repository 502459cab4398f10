package io.steward.gateway.wire;

/** A live script thread of a run. */
public record RunThread(String name, @ApiField(format = "date-time") String startedAt) {
}
