package io.steward.gateway.wire;

import java.util.List;

/** {@code GET /api/v1/audit}: the latest entries, newest first. */
public record AuditPage(List<AuditEntry> entries) {
}
