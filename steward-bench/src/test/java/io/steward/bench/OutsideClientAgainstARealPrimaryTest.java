package io.steward.bench;

import io.steward.gateway.GatewayConfig;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The outside clients of the suite (bench/outside/rtt.py, and wrk with runs.lua when installed) against a real
 * primary on 127.0.0.1, for a handful of calls: their output must parse into sane figures, and a call that fails
 * must fail the measurement. Skipped when python3 is absent, except under CI=true, where that fails.
 */
class OutsideClientAgainstARealPrimaryTest {
    private static final Path CLIENTS = Path.of("..", "bench", "outside").toAbsolutePath().normalize();

    @TempDir
    static Path data;
    private static StewardServer server;

    @BeforeAll
    static void start() throws Exception {
        server = StewardServer.start(ServerConfig.defaults(data)
                .withGateway(new GatewayConfig("127.0.0.1", 0, GatewayConfig.DEFAULT_MAX_BODY))
                .withAgents(ServerConfig.AgentSettings.DEFAULTS));
        HttpClient http = BenchHttp.client();
        for (Map.Entry<String, String> s : OutsidePrimary.SCRIPTS.entrySet()) {
            BenchHttp.call(http, server.url(), server.adminToken(), "/api/v1/scripts", Map.of("name", s.getKey(), "source", s.getValue()));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static String onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    private static String python() {
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : onPath("python3");
        if (python == null && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("python3 missing under CI=true: the outside client is not tested");
        }
        assumeThat(python).as("python3 installed").isNotNull();
        return python;
    }

    @Test
    void pythonClientTimesEveryCallOnOneNoDelayConnection() throws Exception {
        OutsideClients clients = new OutsideClients(python(), null, CLIENTS);
        List<Double> trivial = clients.roundTrips(server.url(), server.adminToken(), OutsideClients.TRIVIAL, 3, 8);
        assertThat(trivial).hasSize(8).allSatisfy(ms -> assertThat(ms).isGreaterThan(0.0).isLessThan(5_000.0));
        List<Double> exec = clients.roundTrips(server.url(), server.adminToken(), OutsideClients.EXEC, 1, 3);
        assertThat(exec).hasSize(3).allSatisfy(ms -> assertThat(ms).isGreaterThan(0.0).isLessThan(5_000.0));
    }

    @Test
    void aCallThatDoesNotSucceedFailsTheMeasurement() {
        OutsideClients clients = new OutsideClients(python(), null, CLIENTS);
        assertThatThrownBy(() -> clients.roundTrips(server.url(), "not-a-token", OutsideClients.TRIVIAL, 0, 3))
                .hasMessageContaining("invoke failed: 401");
        assertThatThrownBy(() -> clients.roundTrips(server.url(), server.adminToken(), "{\"script\":\"missing.groovy\"}", 0, 3))
                .hasMessageContaining("invoke failed");
    }

    @Test
    void wrkRateCountsOnlySucceededRuns() throws Exception {
        String wrk = onPath("wrk");
        assumeThat(wrk).as("wrk installed").isNotNull();
        OutsideClients clients = new OutsideClients(null, wrk, CLIENTS);
        double rate = clients.perSecond(server.url(), server.adminToken(), OutsideClients.TRIVIAL, 2, Duration.ofSeconds(1));
        assertThat(rate).isGreaterThan(1.0).isLessThan(1_000_000.0);
        assertThatThrownBy(() -> clients.perSecond(server.url(), "not-a-token", OutsideClients.TRIVIAL, 2, Duration.ofSeconds(1)))
                .hasMessageContaining("not SUCCEEDED");
    }
}
