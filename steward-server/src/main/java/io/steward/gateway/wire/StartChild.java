package io.steward.gateway.wire;

import java.util.Map;

/** The body of {@code POST /api/v1/runs/{id}/children}. */
public record StartChild(String script,
                         @ApiField(optional = true) Integer version,
                         @ApiField(optional = true) Map<String, Object> args,
                         @ApiField(optional = true, types = {"string", "integer"},
                                 description = "a duration such as \"30s\" or milliseconds") Object timeout) {
}
