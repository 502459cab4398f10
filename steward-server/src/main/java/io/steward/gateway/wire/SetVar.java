package io.steward.gateway.wire;

/** The body of {@code PUT /api/v1/vars/{scope}/{name}}. */
public record SetVar(@ApiField(description = "any JSON value", nullable = true) Object value,
                     @ApiField(optional = true, types = {"string", "integer"},
                             description = "time to live: a duration such as \"10m\" or milliseconds; none: until removed") Object ttl,
                     @ApiField(optional = true, description = "compare-and-set: change it only if its version is this (0: only if absent)") Long ifVersion) {
}
