package io.steward.gateway.wire;

/** The answer to deleting a script. */
public record ScriptDeleted(String name, boolean deleted) {
}
