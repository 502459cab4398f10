package io.steward.gateway.wire;

/** {@code GET/PUT /api/v1/scripts/{name}/policy}: a script's policy and how its limit stands now. */
public record ScriptPolicy(String script,
                           @ApiField(nullable = true, description = "at most this many runs at once; null: no limit")
                           Integer maxConcurrent,
                           @ApiField(description = "queue (wait QUEUED for a slot) or reject (429)") String whenBusy,
                           @ApiField(nullable = true, description = "the retries of invokes that name none") RetryPolicy retry,
                           @ApiField(description = "runs holding a slot of the limit now") long running,
                           @ApiField(description = "runs waiting QUEUED for a slot now") long queued,
                           @ApiField(format = "date-time", nullable = true) String updatedAt,
                           @ApiField(nullable = true) String updatedBy) {
}
