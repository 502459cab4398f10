package io.steward.bench;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The cluster fleet benchmark in its quick form, end to end: 300 simulated agents over 3 real {@code steward server}
 * processes on a fresh PostgreSQL schema, one fan-out of them all through the first primary. Every child must succeed
 * and every figure be there. A fan-out through any one primary reaches every agent of the cluster, those linked to
 * the other primaries included (docs/cluster.md, "Fan-out across primaries"). Skipped without PostgreSQL, except
 * under CI=true, where that fails.
 */
class AFanOutReachesEveryAgentOfAClusterTest {
    private static final int AGENTS = 300;

    @Test
    void threeHundredAgentsOverThreePrimariesAllRunTheFanOut() throws Exception {
        if (System.getenv("STEWARD_TEST_PG_URL") == null || System.getenv("STEWARD_TEST_PG_URL").isBlank()) {
            String why = "STEWARD_TEST_PG_URL is not set: run `eval \"$(.ci/postgres --env)\"` first";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why + " (CI must run the cluster fleet benchmark's quick form)");
            }
            Assumptions.abort(why);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ClusterFleet.Settings settings = ClusterFleetReport.settings(Map.of("--agents", Integer.toString(AGENTS),
                "--poll", "5s", "--idle", "5s", "--primary-heap", "384m"), List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "io.steward.cli.Steward"));

        ClusterFleetFigures f = ClusterFleetReport.run(settings);
        System.out.println(f.markdown());

        assertThat(f.children()).as("children of the one fan-out").isEqualTo(AGENTS);
        assertThat(f.succeeded()).as("children that SUCCEEDED").isEqualTo(AGENTS);
        assertThat(f.agentsReached()).as("distinct agents the children ran on").isEqualTo(AGENTS);
        assertThat(f.reach()).as("a fan-out through any one primary reaches the agents of every primary")
                .containsExactly(AGENTS, AGENTS, AGENTS);
        assertThat(f.soloSeconds()).hasSize(3).allSatisfy(s -> assertThat(s).isPositive());
        assertThat(f.linkSeconds()).isPositive();
        assertThat(f.fanOutSeconds()).hasSize(1).allSatisfy(s -> assertThat(s).isPositive().isLessThanOrEqualTo(f.wholeFanOutSeconds()));
        assertThat(f.sinceInvokeP50Ms()).isPositive().isLessThanOrEqualTo(f.sinceInvokeP99Ms());
        // each child stores at least QUEUED, RUNNING and its end
        assertThat(f.eventRows()).isGreaterThanOrEqualTo(3L * AGENTS);
        assertThat(f.eventRowsPerSecond()).isPositive();
        assertThat(f.eventsStoredPerSecondByMetrics()).isPositive();
        assertThat(f.postgresCpuSeconds()).as("PostgreSQL's CPU, read from /proc").isPositive();
        assertThat(f.primaryCpuSeconds()).hasSize(3).allSatisfy(s -> assertThat(s).isPositive());
        assertThat(f.baseRss()).hasSize(3).allSatisfy(b -> assertThat(b).isGreaterThan(50L << 20));
        for (int i = 0; i < 3; i++) {
            assertThat(f.peakRss().get(i)).isGreaterThanOrEqualTo(f.idleRss().get(i));
        }
        assertThat(f.idleCpuShare()).hasSize(3);
        assertThat(f.markdown()).contains("300 of 300, on 300 distinct agents").contains("| 300 / 300 / 300 |");
    }
}
