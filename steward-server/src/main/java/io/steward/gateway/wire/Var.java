package io.steward.gateway.wire;

import java.util.Map;

/** A global variable: {@code GET /api/v1/vars/{scope}/{name}} and the list's items. */
public record Var(@ApiField(description = "global or node:NAME") String scope, String name,
                  @ApiField(description = "any JSON value", nullable = true) Object value,
                  @ApiField(description = "grows with every change; the ifVersion of a compare-and-set") long version,
                  @ApiField(format = "date-time", nullable = true, description = "when it disappears; null: never") String expiresAt) {

    public static Var of(Map<String, ?> var) {
        return Wire.from(var, Var.class);
    }
}
