/**
 * The store (DESIGN.md): the primary's JDBC repository, on embedded H2 by default or on PostgreSQL, with one schema
 * kept by Flyway migrations ({@code db/migration}).
 *
 * <p>{@link io.steward.store.Store} opens it and hands out one object per table group:
 * {@link io.steward.store.ScriptStore} (versioned scripts; also the engine's {@code ScriptSource}),
 * {@link io.steward.store.RunStore} (run records, LOST marking, pruning),
 * {@link io.steward.store.EventWriter} (the coordinator's event sink: a group commit with durable watermarks),
 * {@link io.steward.store.EventStore} (event pages and output by byte offset),
 * {@link io.steward.store.TokenStore}, {@link io.steward.store.AuditLog}, {@link io.steward.store.NodeStore}, and the
 * {@link io.steward.store.HistoryPruner} duty. The SQL, the batching and the JSON columns are package-private.
 */
package io.steward.store;
