package io.steward.gateway.wire;

/** The body of {@code PUT /api/v1/pools/{pool}/entries/{entry}}. */
public record PutPoolEntry(@ApiField(optional = true, nullable = true, description = "any JSON value describing the entry") Object value) {
}
