package io.steward.gateway.wire;

/** The answer to removing a variable. */
public record VarDeleted(String scope, String name, boolean deleted) {
}
