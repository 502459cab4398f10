package io.steward.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import io.steward.store.LeaseRecord;
import io.steward.store.PrimaryRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No other primary can open an embedded H2 file, so a primary on one holds its leases for a day and does not beat
 * them (or its row) into the database every second: an idle primary asks its database nothing.
 */
@Timeout(60)
class APrimaryAloneOnH2CommitsNothingWhenIdleTest {
    @TempDir
    Path data;

    @Test
    void itsLeasesAndRowStayAsTheyWereWrittenAtStart() throws Exception {
        ServerConfig config = ServerConfig.defaults(data).withGateway(
                new io.steward.gateway.GatewayConfig("127.0.0.1", 0, io.steward.gateway.GatewayConfig.DEFAULT_MAX_BODY));
        try (StewardServer server = StewardServer.start(config)) {
            List<LeaseRecord> leases = server.store().leases().list();
            List<PrimaryRecord> rows = server.store().primaries().list(ClusterSettings.ALONE_TTL);
            assertThat(leases).hasSize(3).allSatisfy(l -> {
                assertThat(l.holder()).isEqualTo(server.cluster().self());
                assertThat(l.expiresAt()).isAfter(java.time.Instant.now().plus(Duration.ofHours(23)));
            });
            assertThat(rows).singleElement().satisfies(r -> assertThat(r.alive()).isTrue());
            // Three beats' time (a beat is a second): nothing is renewed or refreshed.
            await().pollInterval(Duration.ofMillis(200)).during(Duration.ofMillis(3_500)).atMost(Duration.ofSeconds(10))
                    .until(() -> server.store().leases().list().equals(leases)
                            && server.store().primaries().list(ClusterSettings.ALONE_TTL).equals(rows));
        }
    }
}
