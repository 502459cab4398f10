package io.steward.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code POST /api/v1/runs/{id}/messages}: 202 to a running run, 409 to an ended one, 404 to an unknown one. */
class MessagesOverHttpTest {
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
    void aMessageReachesAScriptWaitingOnItsInbox() {
        primary.push("wait.groovy", "shared.put('waiting', true); inbox.take(30_000)");
        String id = (String) primary.admin.post("/api/v1/runs", Map.of("script", "wait.groovy")).json().get("id");
        Http.Answer sent = primary.admin.post("/api/v1/runs/" + id + "/messages",
                Map.of("message", Map.of("deploy", List.of("a", "b"))));
        assertThat(sent.status()).isEqualTo(202);
        assertThat(sent.json()).containsEntry("delivered", true).containsKey("seq");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                "SUCCEEDED".equals(primary.admin.get("/api/v1/runs/" + id).json().get("state")));
        assertThat(primary.admin.get("/api/v1/runs/" + id).json())
                .containsEntry("result", Map.of("deploy", List.of("a", "b")));
    }

    @Test
    void aMessageToAnEndedRunConflictsAndToAnUnknownRunIsNotFound() {
        primary.push("done.js", "1");
        String id = (String) primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "done.js")).json().get("id");
        Http.Answer late = primary.admin.post("/api/v1/runs/" + id + "/messages", Map.of("message", "late"));
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.errorMessage()).isEqualTo("run " + id + " has already ended as SUCCEEDED: messages go to running runs only");

        assertThat(primary.admin.post("/api/v1/runs/nope/messages", Map.of("message", 1)).status()).isEqualTo(404);
    }

    @Test
    void theBodyNeedsTheMessageField() {
        primary.push("wait.groovy", "inbox.take(30_000)");
        String id = (String) primary.admin.post("/api/v1/runs", Map.of("script", "wait.groovy")).json().get("id");
        assertThat(primary.admin.post("/api/v1/runs/" + id + "/messages", Map.of("other", 1)).status()).isEqualTo(400);
        assertThat(primary.admin.post("/api/v1/runs/" + id + "/messages", Map.of("message", "x")).status()).isEqualTo(202);
    }

    @Test
    void theOpenApiDocumentListsTheRoute() {
        assertThat(primary.admin.get("/api/v1/openapi.json").body()).contains("/api/v1/runs/{id}/messages");
    }
}
