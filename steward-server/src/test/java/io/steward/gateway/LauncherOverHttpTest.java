package io.steward.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Claim 28 over HTTP: a launcher that fails to load answers invokes with 503 and closes that connection. */
class LauncherOverHttpTest {
    @TempDir
    Path dir;
    TestPrimary primary;

    @BeforeEach
    void setUp() {
        primary = new TestPrimary(dir);
        primary.push("ok.groovy", "'fine'");
    }

    @AfterEach
    void tearDown() {
        primary.close();
    }

    @Test
    void aBrokenLauncherFailsInvokesOnlyUntilAFixedOneIsPushed() {
        Http.Answer pushed = primary.push("_launcher.groovy", "return request +\n");
        assertThat(TestPrimary.map(pushed.json().get("launcher"))).containsEntry("loaded", false).containsKey("error");

        Http.Answer refused = primary.admin.post("/api/v1/runs", Map.of("script", "ok.groovy"));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.errorCode()).isEqualTo("launcher_unavailable");
        assertThat(refused.errorMessage()).contains("_launcher.groovy", "failed to load");
        assertThat(refused.headers().firstValue("Connection")).hasValue("close");

        assertThat(primary.admin.get("/api/v1/scripts").status()).isEqualTo(200);
        assertThat(primary.admin.get("/api/v1/server").json().get("launcher")).isInstanceOf(Map.class)
                .extracting(l -> ((Map<?, ?>) l).get("loaded")).isEqualTo(false);

        primary.push("_launcher.groovy", "request.args.viaLauncher = true\nrequest");
        Map<String, Object> run = primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "ok.groovy")).json();
        assertThat(run).containsEntry("state", "SUCCEEDED").containsEntry("args", Map.of("viaLauncher", true));
    }

    @Test
    void aRefusalIs422() {
        primary.push("_launcher.groovy", "refuse('no runs on Fridays')");
        Http.Answer a = primary.admin.post("/api/v1/runs", Map.of("script", "ok.groovy"));
        assertThat(a.status()).isEqualTo(422);
        assertThat(a.errorMessage()).contains("no runs on Fridays");
    }
}
