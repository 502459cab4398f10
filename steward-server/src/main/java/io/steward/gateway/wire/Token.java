package io.steward.gateway.wire;

import java.util.Map;

/** A token as the store describes it: never the token itself. */
public record Token(String name, String role, @ApiField(format = "date-time") String createdAt, String createdBy,
                    @ApiField(format = "date-time", nullable = true, description = "when it stops working; null for never")
                    String expiresAt,
                    @ApiField(format = "date-time", nullable = true, description = "when it last authenticated a "
                            + "request; null for never") String lastUsedAt,
                    @ApiField(nullable = true, description = "the glob of script names it is limited to") String scripts,
                    @ApiField(nullable = true, description = "the node selector it may invoke runs on") String nodes) {
    public static Token of(Map<String, ?> token) {
        return Wire.from(token, Token.class);
    }
}
