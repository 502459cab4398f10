package io.steward.store;

import io.steward.coordinator.RunState;

/**
 * Which primary a run belongs to ({@code runs.primary_id}: the one that started or adopted it) and where that
 * primary said it can be reached ({@code primaries.url}, null when it has not said): what a primary answers when
 * asked to act on a run that lives on another.
 */
public record RunOwner(String runId, RunState state, String primaryId, String url) {
}
