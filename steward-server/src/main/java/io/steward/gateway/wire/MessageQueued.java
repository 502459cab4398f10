package io.steward.gateway.wire;

/** A message stored at the end of a queue (or handed straight to a waiting taker). */
public record MessageQueued(String queue, long id) {
}
