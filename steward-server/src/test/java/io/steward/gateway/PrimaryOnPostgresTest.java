package io.steward.gateway;

import io.steward.server.ServerConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The primary chosen onto PostgreSQL with a JDBC URL ({@code steward server --db …}): push and run through HTTP.
 * Needs STEWARD_TEST_PG_URL (see .ci/postgres); skipped without it locally, failing under CI=true.
 */
class PrimaryOnPostgresTest {
    @TempDir
    Path dir;

    @Test
    void pushesAndRunsWithEverythingStoredInPostgres() throws Exception {
        String url = System.getenv("STEWARD_TEST_PG_URL");
        if (url == null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("STEWARD_TEST_PG_URL is not set: .ci/run must start PostgreSQL (.ci/postgres)");
            }
            Assumptions.abort("no PostgreSQL (run .ci/postgres and export its --env)");
        }
        String user = System.getenv("STEWARD_TEST_PG_USER");
        String password = System.getenv("STEWARD_TEST_PG_PASSWORD");
        String schema = "primary_" + System.nanoTime();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        String schemaUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        try (TestPrimary primary = new TestPrimary(ServerConfig.defaults(dir).withDatabase(schemaUrl, user, password)
                .withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)))) {
            primary.push("pg.groovy", "shared.put('db', 'postgres'); exec('echo stored').stdout.trim()");
            Map<String, Object> run = primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "pg.groovy")).json();
            assertThat(run).containsEntry("state", "SUCCEEDED").containsEntry("result", "stored");
            assertThat(primary.admin.get("/api/v1/runs/" + run.get("id") + "/output").body()).isEqualTo("stored\n");
            assertThat(primary.server.store().backend()).containsIgnoringCase("postgres");
        } finally {
            try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
