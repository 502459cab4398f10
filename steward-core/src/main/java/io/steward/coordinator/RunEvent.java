package io.steward.coordinator;

import java.util.Map;

/**
 * One entry of a run's timeline. {@code seq} counts from 1 per run with no holes, so a client that saw event
 * {@code n} resumes from {@code n}. Kinds: {@code state, status, event, progress, log, output, process, thread,
 * shared}, and {@code gap} (synthetic, only ever sent to a subscriber that fell behind).
 *
 * @param time epoch milliseconds
 * @param data JSON-compatible, immutable
 */
public record RunEvent(String runId, long seq, String kind, long time, Map<String, Object> data) {
}
