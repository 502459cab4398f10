package io.steward.store;

import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Run statistics on every backend, from runs with known end times and durations: counts per final state in the
 * right buckets, percentiles exact to the millisecond, per-script success rates and recent runs, the script filter.
 */
abstract class RunStatisticsContractTest {
    Store store;
    private int next;

    abstract StoreConfig.Builder database();

    @BeforeEach
    void openStore() {
        store = Store.open(database().languages(StoreContractTest.LANGUAGES).pruneEvery(null).build());
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** A run of {@code script} that started at {@code started} and ended {@code took} later in {@code state}. */
    private String ended(String script, RunState state, Instant started, Duration took) {
        String id = String.format("01STATS%08d", next++);
        RunSnapshot queued = Snapshots.queued(id, script, started);
        store.writer().runCreated(queued);
        store.writer().runEnded(Snapshots.ended(queued, state, started.plus(took), 3));
        return id;
    }

    /** A run cancelled while it was queued: it never started, so it has no duration. */
    private String cancelledWhileQueued(String script, Instant at) {
        String id = String.format("01STATS%08d", next++);
        RunSnapshot queued = Snapshots.queued(id, script, at);
        store.writer().runCreated(queued);
        RunSnapshot e = Snapshots.ended(queued, RunState.CANCELLED, at, 2);
        store.writer().runEnded(new RunSnapshot(e.id(), e.script(), e.version(), e.state(), e.args(), e.shared(),
                e.statusValues(), e.progress(), e.threads(), e.threadsStarted(), e.processes(), e.createdAt(), null,
                e.endedAt(), e.result(), e.error(), e.node(), e.parent(), e.children(), e.invoker(), e.lastSeq()));
        return id;
    }

    @Test
    void bucketsCountEndedRunsByStateWithExactPercentiles() throws InterruptedException {
        Instant now = Instant.now();
        Instant hourA = StatsQuery.Bucket.HOUR.start(now).minus(Duration.ofHours(5));
        Instant hourB = hourA.plus(Duration.ofHours(2));
        // Hour A: 20 successes lasting 1 s … 20 s. p50 = 10.5 s; p95 = 19 s + 0.05 × 1 s = 19.05 s.
        for (int s = 20; s >= 1; s--) {
            ended("a.groovy", RunState.SUCCEEDED, hourA.plusSeconds(60), Duration.ofSeconds(s));
        }
        // Hour B: durations 100, 200, 300, 400 ms. p50 = 250 ms; p95 = 300 + 0.85 × 100 = 385 ms.
        ended("b.groovy", RunState.FAILED, hourB.plusSeconds(10), Duration.ofMillis(300));
        ended("b.groovy", RunState.FAILED, hourB.plusSeconds(20), Duration.ofMillis(100));
        ended("a.groovy", RunState.CANCELLED, hourB.plusSeconds(30), Duration.ofMillis(400));
        ended("b.groovy", RunState.TIMED_OUT, hourB.plusSeconds(40), Duration.ofMillis(200));
        cancelledWhileQueued("b.groovy", hourB.plusSeconds(50));
        // Ended before the window: not counted.
        ended("a.groovy", RunState.FAILED, hourA.minus(Duration.ofHours(3)), Duration.ofSeconds(1));
        store.writer().flush();

        RunStats stats = store.statistics().compute(new StatsQuery(hourA.minus(Duration.ofMinutes(30)), now,
                StatsQuery.Bucket.HOUR, null, 10));

        assertThat(stats.since()).isEqualTo(hourA.minus(Duration.ofHours(1)));
        assertThat(stats.buckets()).extracting(RunStats.BucketStats::start)
                .startsWith(hourA.minus(Duration.ofHours(1)), hourA, hourA.plus(Duration.ofHours(1)), hourB)
                .hasSize(7);
        RunStats.BucketStats a = stats.buckets().get(1);
        assertThat(a.counts()).containsEntry(RunState.SUCCEEDED, 20L).containsEntry(RunState.FAILED, 0L);
        assertThat(a.p50Ms()).isEqualTo(10_500L);
        assertThat(a.p95Ms()).isEqualTo(19_050L);
        RunStats.BucketStats b = stats.buckets().get(3);
        assertThat(b.counts()).containsEntry(RunState.FAILED, 2L).containsEntry(RunState.CANCELLED, 2L)
                .containsEntry(RunState.TIMED_OUT, 1L).containsEntry(RunState.SUCCEEDED, 0L)
                .containsEntry(RunState.LOST, 0L);
        assertThat(b.total()).isEqualTo(5);
        assertThat(b.p50Ms()).isEqualTo(250L);
        assertThat(b.p95Ms()).isEqualTo(385L);
        RunStats.BucketStats empty = stats.buckets().get(2);
        assertThat(empty.total()).isZero();
        assertThat(empty.p50Ms()).isNull();
        assertThat(stats.buckets().stream().mapToLong(RunStats.BucketStats::total).sum()).isEqualTo(25);
    }

    @Test
    void perScriptStatsGiveSuccessRateAndNewestRunsFirst() throws InterruptedException {
        Instant now = Instant.now();
        Instant start = now.minus(Duration.ofHours(2));
        String first = ended("deploy.groovy", RunState.SUCCEEDED, start, Duration.ofSeconds(3));
        ended("deploy.groovy", RunState.FAILED, start.plusSeconds(10), Duration.ofSeconds(1));
        ended("deploy.groovy", RunState.SUCCEEDED, start.plusSeconds(20), Duration.ofSeconds(2));
        String last = ended("deploy.groovy", RunState.SUCCEEDED, start.plusSeconds(30), Duration.ofMillis(1500));
        ended("other.js", RunState.FAILED, start, Duration.ofSeconds(1));
        store.writer().flush();

        RunStats stats = store.statistics().compute(new StatsQuery(now.minus(Duration.ofDays(1)), now,
                StatsQuery.Bucket.HOUR, null, 3));
        assertThat(stats.scripts()).extracting(RunStats.ScriptStats::script).containsExactly("deploy.groovy", "other.js");
        RunStats.ScriptStats deploy = stats.scripts().get(0);
        assertThat(deploy.runs()).isEqualTo(4);
        assertThat(deploy.succeeded()).isEqualTo(3);
        assertThat(deploy.successRate()).isEqualTo(0.75);
        assertThat(deploy.recent()).hasSize(3);
        assertThat(deploy.recent().get(0).id()).isEqualTo(last);
        assertThat(deploy.recent().get(0).durationMs()).isEqualTo(1500L);
        assertThat(deploy.recent()).extracting(RunStats.RecentRun::state)
                .containsExactly(RunState.SUCCEEDED, RunState.SUCCEEDED, RunState.FAILED);
        assertThat(deploy.recent()).extracting(RunStats.RecentRun::id).doesNotContain(first);
        assertThat(stats.scripts().get(1).successRate()).isEqualTo(0.0);

        assertThat(store.statistics().scriptsWithRuns(now.minus(Duration.ofDays(1)), now))
                .containsExactly("deploy.groovy", "other.js");
    }

    @Test
    void theScriptFilterNarrowsBucketsAndScripts() throws InterruptedException {
        Instant now = Instant.now();
        Instant start = now.minus(Duration.ofHours(1));
        ended("a.groovy", RunState.SUCCEEDED, start, Duration.ofSeconds(1));
        ended("b.groovy", RunState.FAILED, start, Duration.ofSeconds(1));
        ended("b.groovy", RunState.FAILED, start, Duration.ofSeconds(1));
        store.writer().flush();

        RunStats onlyB = store.statistics().compute(new StatsQuery(now.minus(Duration.ofDays(3)), now,
                StatsQuery.Bucket.DAY, Set.of("b.groovy", "never-ran.groovy"), 5));
        assertThat(onlyB.buckets()).hasSizeBetween(3, 4);
        assertThat(onlyB.buckets().stream().mapToLong(b -> b.counts().get(RunState.FAILED)).sum()).isEqualTo(2);
        assertThat(onlyB.buckets().stream().mapToLong(RunStats.BucketStats::total).sum()).isEqualTo(2);
        assertThat(onlyB.scripts()).extracting(RunStats.ScriptStats::script)
                .containsExactly("b.groovy", "never-ran.groovy");
        assertThat(onlyB.scripts().get(1).runs()).isZero();
        assertThat(onlyB.scripts().get(1).successRate()).isNull();

        RunStats none = store.statistics().compute(new StatsQuery(now.minus(Duration.ofDays(1)), now,
                StatsQuery.Bucket.HOUR, Set.of(), 5));
        assertThat(none.scripts()).isEmpty();
        assertThat(none.buckets()).allSatisfy(b -> assertThat(b.total()).isZero());
    }

    @Test
    void aWindowOfTooManyBucketsIsRefusedWithTheFix() {
        Instant now = Instant.now();
        assertThatThrownBy(() -> new StatsQuery(now.minus(Duration.ofDays(400)), now, StatsQuery.Bucket.HOUR, null, 5))
                .hasMessageContaining("more than the " + StatsQuery.MAX_BUCKETS + " buckets").hasMessageContaining("bucket=day");
        assertThatThrownBy(() -> new StatsQuery(now.minus(Duration.ofDays(1)), now, StatsQuery.Bucket.HOUR, null, 101))
                .hasMessageContaining("recent must be from 0 to 100");
        assertThatThrownBy(() -> new StatsQuery(now.plus(Duration.ofDays(1)), now, StatsQuery.Bucket.HOUR, null, 5))
                .hasMessageContaining("must be before until");
    }
}
