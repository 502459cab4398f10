package io.steward.gateway.wire;

/** {@code DELETE /api/v1/scripts/{name}/policy}. */
public record PolicyCleared(String script, @ApiField(description = "false when it had no policy") boolean cleared) {
}
