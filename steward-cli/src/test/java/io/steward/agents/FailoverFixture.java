package io.steward.agents;

import io.steward.client.StewardClient;
import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the failover tests share: a PostgreSQL schema of their own for two primaries ({@code .ci/postgres --env};
 * skipped without it on a developer's machine, failing under {@code CI=true}), the stepping script, and the checks
 * of a run that moved from one primary to another: every event once and in order, the output whole, the owner.
 */
final class FailoverFixture implements AutoCloseable {
    static final String URL = System.getenv("STEWARD_TEST_PG_URL");
    static final String USER = System.getenv().getOrDefault("STEWARD_TEST_PG_USER", "steward_test");
    static final String PASSWORD = System.getenv().getOrDefault("STEWARD_TEST_PG_PASSWORD", "steward_test");
    /** Prints a line and sets a status value per step, a little apart: long enough to lose its primary mid-way. */
    static final String STEPS = """
            for (int i = 1; i <= (args.steps as int); i++) {
                exec('echo line-' + i)
                status.set('step', i)
                sleep(args.pause as long)
            }
            'all ' + args.steps + ' steps on ' + node.name
            """;

    final String schema = "failover_" + UUID.randomUUID().toString().replace("-", "");

    FailoverFixture() throws Exception {
        if (URL == null || URL.isBlank()) {
            String why = "STEWARD_TEST_PG_URL is not set: run `eval \"$(.ci/postgres --env)\"` first";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why + " (CI must test failover on PostgreSQL)");
            }
            Assumptions.abort(why);
        }
        execute("CREATE SCHEMA " + schema);
    }

    /** The JDBC URL both primaries share. */
    String dbUrl() {
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** The primary a run belongs to now, as the shared database says ({@code runs.primary_id}). */
    String primaryOf(String run) throws Exception {
        try (Connection c = DriverManager.getConnection(dbUrl(), USER, PASSWORD);
             PreparedStatement ps = c.prepareStatement("SELECT primary_id FROM runs WHERE id = ?")) {
            ps.setString(1, run);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The one number a query of the shared schema answers (a count). */
    long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(dbUrl(), USER, PASSWORD); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The id of the first child of a fan-out, once there is one. */
    @SuppressWarnings("unchecked")
    static String child(StewardClient admin, String parent) {
        List<Map<String, Object>> children = (List<Map<String, Object>>) admin.run(parent).get("children");
        return children == null || children.isEmpty() ? null : (String) children.getFirst().get("id");
    }

    /** The step a run on an agent has reached, as {@code admin}'s primary shows it (0 before the first). */
    @SuppressWarnings("unchecked")
    static long step(StewardClient admin, String run) {
        Object status = admin.run(run).get("status");
        return status instanceof Map<?, ?> m && m.get("values") instanceof Map<?, ?> values
                && values.get("step") instanceof Number n ? n.longValue() : 0;
    }

    /**
     * Checks a stepping run of {@code steps} as {@code admin}'s primary shows it after it ended: SUCCEEDED with its
     * result, its events numbered 1..n without a gap or a repeat, every step's status value and output line once and in
     * order, and the output text whole.
     */
    static void assertWhole(StewardClient admin, String run, int steps, String node) {
        Map<String, Object> ended = admin.run(run);
        assertThat(ended).as("%s", ended).containsEntry("state", "SUCCEEDED")
                .containsEntry("result", "all " + steps + " steps on " + node);
        List<io.steward.client.Event> events = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            long after = events.isEmpty() ? 0 : events.getLast().seq();
            var page = admin.events(run, after, 5000);
            events.addAll(page.events());
            return page.ended();
        });
        assertThat(events).extracting(io.steward.client.Event::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
        assertThat(((Number) ended.get("lastSeq")).longValue()).isEqualTo(events.size());
        assertThat(events.stream().filter(e -> "status".equals(e.kind())).map(e -> ((Number) e.data().get("value")).longValue()))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, steps).boxed().toList());
        List<String> lines = IntStream.rangeClosed(1, steps).mapToObj(i -> "line-" + i).toList();
        assertThat(events.stream().filter(e -> "output".equals(e.kind())).map(e -> String.valueOf(e.data().get("line"))))
                .containsExactlyElementsOf(lines);
        assertThat(admin.output(run, 0, null, null).text()).isEqualTo(lines.stream().map(l -> l + "\n")
                .collect(Collectors.joining()));
    }

    /** Waits until a primary in a process of its own answers {@code /health}; answers an admin client of it. */
    static StewardClient healthy(String url, java.nio.file.Path data, AgentProcess process) throws java.io.IOException {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        java.net.http.HttpRequest health = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .failFast("the primary exited", () -> !process.process.isAlive())
                    .until(() -> http.send(health, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        } catch (org.awaitility.core.ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            throw new AssertionError("the primary at " + url + " did not come up:\n" + process.logTail(), e);
        }
        return StewardClient.connect(url, java.nio.file.Files.readString(data.resolve("admin.token")).strip());
    }

    /** A port free now on the loopback address, for a primary in a process of its own. */
    static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void execute(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Runs one statement in the shared schema. */
    void executeHere(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(dbUrl(), USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() throws Exception {
        execute("DROP SCHEMA " + schema + " CASCADE");
    }
}
