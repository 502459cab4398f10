package io.steward.cli;

import io.steward.gateway.GatewayConfig;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code steward cluster status} against a real primary alone on its H2 file: it is the one alive primary and holds
 * every lease from its start; the table, {@code --json} and {@code --help} say so.
 */
class ClusterStatusCommandTest {
    @TempDir
    Path data;
    StewardServer server;

    @BeforeEach
    void start() throws Exception {
        server = StewardServer.start(ServerConfig.defaults(data).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CliRunner cli(String... args) throws Exception {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--server";
        all[args.length + 1] = server.url();
        all[args.length + 2] = "--token";
        all[args.length + 3] = server.adminToken();
        return CliRunner.run(all);
    }

    @Test
    @SuppressWarnings("unchecked")
    void showsTheOnePrimaryHoldingEveryLease() throws Exception {
        String self = Files.readString(data.resolve("primary.id")).strip();

        CliRunner json = cli("cluster", "status", "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(json.json()).containsEntry("self", self).containsEntry("ttlMs", 86_400_000); // alone on H2: a day
        List<Map<String, Object>> primaries = (List<Map<String, Object>>) json.json().get("primaries");
        assertThat(primaries).singleElement().satisfies(p -> assertThat(p).containsEntry("id", self)
                .containsEntry("alive", true).containsEntry("url", server.url())
                .containsEntry("agents", Map.of("count", 0, "names", List.of())));
        List<Map<String, Object>> leases = (List<Map<String, Object>>) json.json().get("leases");
        assertThat(leases).extracting(l -> l.get("name") + "=" + l.get("holder") + "," + l.get("expired"))
                .containsExactly("lost=" + self + ",false", "retention=" + self + ",false", "schedule=" + self + ",false");

        CliRunner table = cli("cluster", "status");
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("PRIMARY", "ALIVE", "AGENTS", self + " (this)", "yes", server.url(),
                "LEASE", "HOLDER", "EXPIRES", "schedule", "lost", "retention", "held");

        CliRunner help = CliRunner.run("cluster", "status", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage:", "cluster status", "--json", "lease");

        CliRunner bare = CliRunner.run("cluster");
        assertThat(bare.exitCode()).isNotZero();
        assertThat(bare.err()).contains("status").doesNotContain("Exception");
    }
}
