package io.steward.store;

import io.steward.coordinator.RunState;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Aggregate statistics of ended runs (see {@link RunStatistics}).
 *
 * @param since   the start of the first bucket
 * @param until   the end of the window
 * @param buckets every bucket from {@code since} to {@code until}, oldest first, empty ones included
 * @param scripts per script with runs that ended in the window (or asked for by name), by name
 */
public record RunStats(Instant since, Instant until, StatsQuery.Bucket bucket, List<BucketStats> buckets,
                       List<ScriptStats> scripts) {

    /**
     * One time bucket: the runs that ended in it by final state, and the 50th and 95th percentile of their durations
     * (linear interpolation between the two nearest durations, as SQL's {@code PERCENTILE_CONT}); runs that never
     * started (cancelled while queued) have no duration and count only in {@code counts}.
     *
     * @param p50Ms {@code null} when no run of the bucket has a duration
     */
    public record BucketStats(Instant start, Map<RunState, Long> counts, Long p50Ms, Long p95Ms) {
        public long total() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * @param runs      runs of the script that ended in the window
     * @param succeeded how many of them SUCCEEDED
     * @param recent    its newest runs in any state (not only those of the window), newest first
     */
    public record ScriptStats(String script, long runs, long succeeded, List<RecentRun> recent) {
        /** {@code succeeded / runs}, or {@code null} without runs. */
        public Double successRate() {
            return runs == 0 ? null : (double) succeeded / runs;
        }
    }

    /** @param durationMs {@code null} until the run has started and ended */
    public record RecentRun(String id, RunState state, Long durationMs, Instant startedAt, Instant endedAt) {
    }
}
