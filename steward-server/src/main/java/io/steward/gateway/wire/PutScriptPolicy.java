package io.steward.gateway.wire;

/** The body of {@code PUT /api/v1/scripts/{name}/policy}: the whole policy (what is left out is unset). */
public record PutScriptPolicy(@ApiField(optional = true, description = "at most this many runs at once, 1 or more")
                              Integer maxConcurrent,
                              @ApiField(optional = true, description = "queue (the default) or reject") String whenBusy,
                              @ApiField(optional = true, description = "the retries of invokes that name none")
                              RetrySpec retry) {
}
