package io.steward.gateway.wire;

import java.util.Map;

/** A token as the store describes it: never the token itself. */
public record Token(String name, String role, @ApiField(format = "date-time") String createdAt, String createdBy) {
    public static Token of(Map<String, ?> token) {
        return Wire.from(token, Token.class);
    }
}
