package io.steward.gateway.wire;

/** The body of {@code POST /api/v1/scripts}. */
public record PushScript(@ApiField(description = "a path ending in .groovy or .js, such as deploy/web.groovy") String name,
                         String source) {
}
