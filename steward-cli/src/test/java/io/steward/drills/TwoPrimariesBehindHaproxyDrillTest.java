package io.steward.drills;

import io.steward.cli.StewardOnPath;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code bench/cluster-lb --quick}, the walk-through of docs/cluster.md "Two primaries behind HAProxy", as CI runs it:
 * two {@code steward server} processes of this build on one PostgreSQL schema behind a real HAProxy, a real agent
 * linked through it, runs and an SSE stream through it, and {@code kill -9} of the primary holding the agent's link
 * (and, unless a busy machine moved them, the leases). The script checks each step itself and exits non-zero on the first that fails; this test asserts its exit
 * code and summary, and records its handover figures. Without haproxy or PostgreSQL it skips, but fails under
 * CI=true, where .ci/run installs both.
 */
@Tag(Drills.TAG)
class TwoPrimariesBehindHaproxyDrillTest {
    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");

    @TempDir
    Path dir;

    @Test
    void runsAndTheAgentGoOnThroughTheLoadBalancerAfterKill9OfAPrimary() throws Exception {
        require(Files.isExecutable(HAPROXY) || onPath("haproxy"),
                "haproxy is not installed (apt-get install -y haproxy; .ci/run does)");
        String pg = System.getenv("STEWARD_TEST_PG_URL");
        require(pg != null && !pg.isBlank(), "STEWARD_TEST_PG_URL is not set: run `eval \"$(.ci/postgres --env)\"` first");
        Path root = Path.of("").toAbsolutePath().getParent();
        Path script = root.resolve("bench/cluster-lb");
        assertThat(script).as("the script under test").isExecutable();
        StewardOnPath.install(dir);

        Path output = dir.resolve("cluster-lb.out");
        Process process = new ProcessBuilder("bash", script.toString(), "--quick", "--steward", dir.resolve("steward").toString())
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        // Generous: two primaries, an agent and a dozen CLI commands each start a JVM on two busy cores.
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroy(); // SIGTERM: the script's trap stops what it started
            process.waitFor(60, TimeUnit.SECONDS);
            process.destroyForcibly();
            fail("bench/cluster-lb --quick did not end within 10 minutes:\n" + Files.readString(output));
        }
        String out = Files.readString(output);
        assertThat(process.exitValue()).as("bench/cluster-lb --quick exit code; its output:\n%s", out).isZero();
        assertThat(out).contains("cluster-lb: PASS", "runs through the LB:", "all SUCCEEDED",
                "SSE through the LB:", "stream ended with the run",
                "run under way on the agent at the kill: SUCCEEDED");
        String drill = "two primaries behind HAProxy, kill -9 of one";
        Drills.figure(drill, "first run through the LB after the kill (ms)",
                figure(out, "first run through the LB after the kill: SUCCEEDED after (\\d+) ms"));
        Drills.figure(drill, "every lease on the survivor after (ms)",
                figure(out, "every lease held by the survivor \\(primary-.\\) after (\\d+) ms"));
        Drills.figure(drill, "agent relinked through the LB after (ms)",
                figure(out, "agent relinked through the LB to the survivor \\(primary-.\\) after (\\d+) ms"));
    }

    private static long figure(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        assertThat(m.find()).as("the summary line /%s/ in:\n%s", regex, out).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static void require(boolean present, String why) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(why + " (CI must run the load balancer drill)");
        }
        Assumptions.abort(why);
    }

    private static boolean onPath(String command) {
        return List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, command)));
    }
}
