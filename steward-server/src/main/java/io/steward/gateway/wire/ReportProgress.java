package io.steward.gateway.wire;

/** The body of {@code POST /api/v1/runs/{id}/progress}. */
public record ReportProgress(@ApiField(description = "from 0 to 1") double fraction,
                             @ApiField(optional = true) String message) {
}
