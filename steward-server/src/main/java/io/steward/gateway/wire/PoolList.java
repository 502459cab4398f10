package io.steward.gateway.wire;

import java.util.List;

/** {@code GET /api/v1/pools}. */
public record PoolList(List<Pool> pools) {
}
