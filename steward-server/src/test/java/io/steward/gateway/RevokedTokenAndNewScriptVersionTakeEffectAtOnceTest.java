package io.steward.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The primary remembers what every request asks for — a token's role, a script's latest version — and must still
 * act on a change from the very next request: a revoked token is refused at once, a pushed version runs at once.
 */
class RevokedTokenAndNewScriptVersionTakeEffectAtOnceTest {
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
    void aTokenInUseIsRefusedFromTheRequestAfterItsRevoke() {
        Http operator = primary.withRole("operator");
        String name = (String) operator.get("/api/v1/whoami").json().get("name");
        for (int i = 0; i < 5; i++) {
            assertThat(operator.get("/api/v1/runs").status()).isEqualTo(200);
        }
        Http other = primary.withRole("viewer");
        assertThat(other.get("/api/v1/runs").status()).isEqualTo(200);

        assertThat(primary.admin.delete("/api/v1/tokens/" + name).status()).isEqualTo(200);

        Http.Answer refused = operator.get("/api/v1/runs");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.errorMessage()).contains("unknown or revoked");
        assertThat(other.get("/api/v1/runs").status()).isEqualTo(200);
        assertThat(primary.admin.get("/api/v1/runs").status()).isEqualTo(200);
    }

    @Test
    void aPushedVersionIsWhatTheNextInvokeRuns() {
        for (int version = 1; version <= 3; version++) {
            primary.push("v.groovy", "'version " + version + "'");
            for (int i = 0; i < 3; i++) {
                Map<String, Object> run = primary.admin.post("/api/v1/runs?wait=10s", Map.of("script", "v.groovy")).json();
                assertThat(run).containsEntry("state", "SUCCEEDED").containsEntry("result", "version " + version)
                        .containsEntry("version", version);
            }
        }
    }
}
