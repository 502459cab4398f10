package io.steward.gateway.wire;

/** An entry of a resource pool. */
public record PoolEntry(String entry, @ApiField(description = "any JSON value", nullable = true) Object value,
                        @ApiField(nullable = true, description = "who holds it; null when free") Holder holder,
                        @ApiField(description = "removed while held: leaves when released") boolean leaving) {
}
