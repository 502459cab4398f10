package io.steward.store;

/**
 * The store's connection pool at one moment, for the primary's meters: a pool too small for its load shows as
 * threads waiting, long before requests fail on its connection timeout.
 *
 * @param max     the pool's size ({@code --db-pool})
 * @param active  connections lent out now
 * @param idle    connections open and free
 * @param waiting threads waiting for a connection
 */
public record PoolState(int max, int active, int idle, int waiting) {
}
