package io.steward.drills;

import io.steward.client.StewardApiException;
import io.steward.client.StewardClient;
import io.steward.store.Store;
import io.steward.store.StoreConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Drill: the primary on PostgreSQL (a schema of its own, {@code .ci/postgres --env}) through a {@link FaultProxy}
 * that then blackholes every connection for 20 s (a minute in the full drill) while clients keep invoking. Every
 * answer must come in bounded time — accepted, or a 503 naming the store — never a hang; afterwards the primary
 * serves again without a restart and every run it accepted exists and has ended. The JDBC URL sets
 * {@code socketTimeout=5}, as an operator who wants quick failures would; the store's own default is 30 s.
 */
@Tag(Drills.TAG)
class StalledPostgresDrillTest {
    private static final String URL = System.getenv("STEWARD_TEST_PG_URL");
    private static final String USER = System.getenv().getOrDefault("STEWARD_TEST_PG_USER", "steward_test");
    private static final String PASSWORD = System.getenv().getOrDefault("STEWARD_TEST_PG_PASSWORD", "steward_test");
    /** The longest an answer may take while the database is stalled: the pool's wait, a socket timeout, slack. */
    private static final Duration BOUND = Duration.ofSeconds(25);

    @TempDir
    Path dir;

    @Test
    void aStalledDatabaseGivesClearErrorsInBoundedTimeAndNothingAcceptedIsLost() throws Exception {
        if (URL == null || URL.isBlank()) {
            String why = "STEWARD_TEST_PG_URL is not set: run `eval \"$(.ci/postgres --env)\"` first";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why + " (CI must run the stalled-database drill)");
            }
            Assumptions.abort(why);
        }
        Duration stall = Drills.length(Duration.ofSeconds(20), Duration.ofMinutes(1));
        URI pg = URI.create(URL.substring("jdbc:".length()));
        String schema = "drill_" + UUID.randomUUID().toString().replace("-", "");
        execute("CREATE SCHEMA " + schema);
        Invariants invariants = new Invariants();
        try (FaultProxy proxy = new FaultProxy(pg.getPort())) {
            String db = "jdbc:postgresql://127.0.0.1:" + proxy.port() + pg.getPath() + "?currentSchema=" + schema
                    + "&socketTimeout=5";
            try (PrimaryProcess primary = PrimaryProcess.start(dir, List.of("--db", db, "--db-user", USER),
                    Map.of("STEWARD_DB_PASSWORD", PASSWORD))) {
                StewardClient admin = primary.admin();
                admin.pushScript("note.groovy", "(1..20).each { status.set('i', it) }; 'noted'");
                Load before = new Load(admin, 4, 40, i -> new Load.Request("note.groovy", Map.of(), null));
                before.join();

                proxy.blackhole();
                Load during = new Load(admin, 4, Long.MAX_VALUE, 100, i -> new Load.Request("note.groovy", Map.of(), null));
                Thread.sleep(stall.toMillis()); // the fault lasts this long
                proxy.restore();
                long restored = System.nanoTime();
                during.close();
                await().atMost(Duration.ofSeconds(60)).ignoreException(StewardApiException.class)
                        .until(() -> "SUCCEEDED".equals(admin.invoke("note.groovy", null, Map.of(), null,
                                Duration.ofSeconds(10)).get("state")));
                Duration recovered = Duration.ofNanos(System.nanoTime() - restored);
                List<String> accepted = new java.util.ArrayList<>(before.accepted);
                accepted.addAll(during.accepted);
                invariants.checkThroughApi(admin, accepted, Duration.ofMinutes(2));

                String drill = "stalled PostgreSQL connection";
                Drills.figure(drill, "stalled for (s)", stall.toSeconds());
                Drills.figure(drill, "runs accepted", accepted.size());
                Drills.figure(drill, "refused while stalled", during.refused);
                Drills.figure(drill, "slowest answer while stalled (ms)", during.slowestMillis());
                Drills.figure(drill, "ended by state", invariants.byState());
                Drills.figure(drill, "serving again after the stall (ms)", recovered.toMillis());
                assertThat(during.refused.keySet()).as("answers while the database was stalled")
                        .allMatch(k -> k.startsWith("503 "));
                assertThat(Duration.ofMillis(during.slowestMillis())).as("the slowest answer").isLessThan(BOUND);
                primary.stop();
                try (Store store = Store.open(StoreConfig.builder().jdbcUrl(URL + "?currentSchema=" + schema)
                        .user(USER).password(PASSWORD).poolSize(2).build())) {
                    invariants.checkStore(store);
                }
                Drills.figure(drill, "runs lost", 0);
            }
        } finally {
            execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
