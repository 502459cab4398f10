package io.steward.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Claim 22 and the rest of the primary's self-description: server info, nodes, health, OpenAPI, audit. */
class ServerInfoTest {
    @TempDir
    Path dir;
    TestPrimary primary;

    @BeforeEach
    void setUp() {
        primary = new TestPrimary(dir);
    }

    @AfterEach
    void tearDown() {
        primary.close();
    }

    @Test
    void serverInfoDescribesThePrimaryNode() {
        Map<String, Object> info = primary.admin.get("/api/v1/server").json();
        assertThat(info).containsKeys("name", "host", "os", "arch", "cpus", "memoryBytes", "load", "jvm", "version",
                "uptimeMs", "runs", "startedAt", "labels");
        assertThat(info.get("cpus")).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(TestPrimary.map(info.get("runs"))).containsKeys("active", "byState");
    }

    @Test
    void nodesListThePrimaryItself() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) primary.admin.get("/api/v1/nodes").json().get("nodes");
        assertThat(nodes).singleElement().satisfies(n -> {
            assertThat(n).containsEntry("state", "online").containsKeys("name", "labels", "lastSeen", "info");
            assertThat(primary.admin.get("/api/v1/nodes/" + n.get("name")).status()).isEqualTo(200);
        });
    }

    @Test
    void healthAndOpenApiNeedNoToken() {
        Http anonymous = primary.admin.as(null);
        assertThat(anonymous.get("/health").json()).containsEntry("status", "ok");
        Map<String, Object> doc = anonymous.get("/api/v1/openapi.json").json();
        assertThat(doc).containsEntry("openapi", "3.1.0");
        assertThat(TestPrimary.map(doc.get("paths"))).containsKeys("/api/v1/runs", "/api/v1/runs/{id}/events",
                "/api/v1/scripts/{name}", "/api/v1/scripts/{name}/history", "/api/v1/server", "/health");
    }

    @Test
    void theAdminTokenFileIsPrivate() throws Exception {
        Path file = primary.server.adminTokenFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(primary.admin.get("/api/v1/whoami").json()).containsEntry("role", "admin");
    }

    @Test
    void theAuditLogRecordsWhoDidWhat() {
        primary.push("a.groovy", "1");
        Http operator = primary.withRole("operator");
        operator.post("/api/v1/runs?wait=10s", Map.of("script", "a.groovy"));
        // Invokes are audited with the event writer's next group commit: wait for it.
        org.awaitility.Awaitility.await().untilAsserted(() -> {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> entries = (List<Map<String, Object>>) primary.admin.get("/api/v1/audit").json().get("entries");
            assertThat(entries).extracting(e -> e.get("action")).contains("push", "token-create", "invoke");
            assertThat(entries).filteredOn(e -> "invoke".equals(e.get("action")))
                    .singleElement().satisfies(e -> assertThat((String) e.get("actor")).startsWith("operator-"));
        });
    }

    @Test
    void tokensCanBeListedAndRevoked() {
        Http viewer = primary.withRole("viewer");
        String name = (String) viewer.get("/api/v1/whoami").json().get("name");
        assertThat(primary.admin.delete("/api/v1/tokens/" + name).status()).isEqualTo(200);
        assertThat(viewer.get("/api/v1/runs").status()).isEqualTo(401);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tokens = (List<Map<String, Object>>) primary.admin.get("/api/v1/tokens").json().get("tokens");
        assertThat(tokens).extracting(t -> t.get("name")).doesNotContain(name).contains("admin");
        assertThat(primary.admin.get("/api/v1/tokens").body()).doesNotContain("stw_");
    }
}
