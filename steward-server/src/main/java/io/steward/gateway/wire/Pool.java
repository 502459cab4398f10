package io.steward.gateway.wire;

import java.util.List;
import java.util.Map;

/** A resource pool: its entries, how many are free, and its waiters in serving order. */
public record Pool(String name, List<PoolEntry> entries, long free, List<Holder> waiters) {

    public static Pool of(Map<String, ?> pool) {
        return Wire.from(pool, Pool.class);
    }
}
