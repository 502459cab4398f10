/**
 * The primary's metrics, served at {@code GET /metrics} in Prometheus' text format (docs/metrics.md). Built on
 * Micrometer: {@link io.steward.metrics.ServerMetrics} owns the registry and reads the numbers the other
 * components keep anyway (the store writer's counters, the node registry, the event limits' adders), so that
 * measuring adds nothing to the hot path but what {@link io.steward.metrics.RunStates} does on {@code state} events.
 */
package io.steward.metrics;
