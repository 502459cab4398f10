/**
 * Retries, concurrency limits and notifications (docs/usage.md, "Retries, limits and notifications"): what happens
 * around a run rather than in it. Everything here hangs off two points of the coordinator: invokes pass through
 * {@link io.steward.policy.Policies#invoke}, and run ends arrive through {@link io.steward.policy.RunEnds}, an
 * {@link io.steward.coordinator.EventSink} that wraps the store's. Their state lives in the store (migration V5),
 * so a pending retry survives a restart of the primary.
 */
package io.steward.policy;
