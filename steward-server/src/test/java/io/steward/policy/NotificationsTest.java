package io.steward.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.steward.gateway.Http;
import io.steward.gateway.TestPrimary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Notifications on run ends, to a real webhook receiver on 127.0.0.1 and to a stored script. */
class NotificationsTest {
    @TempDir
    Path dir;
    TestPrimary primary;
    HttpServer receiver;
    final AtomicInteger calls = new AtomicInteger();
    final List<Map<String, Object>> accepted = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        primary = new TestPrimary(dir);
        primary.push("boom.groovy", "if (args.fail) { throw new RuntimeException('boom: ' + args.fail) }; 'fine'");
        // Fails the first two deliveries with a 500, then accepts.
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int call = calls.incrementAndGet();
            if (call > 2) {
                @SuppressWarnings("unchecked")
                Map<String, Object> payload = new ObjectMapper().readValue(body, Map.class);
                accepted.add(payload);
            }
            exchange.sendResponseHeaders(call <= 2 ? 500 : 204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
        primary.close();
    }

    @Test
    void aWebhookThatFailsTwiceGetsThePayloadOnceOnTheThirdTryAndEveryTryIsRecorded() {
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        Http.Answer added = primary.admin.post("/api/v1/notifications", Map.of("name", "ops",
                "states", List.of("FAILED", "TIMED_OUT"), "script", "boom.groovy", "webhook", url));
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        assertThat(added.json()).containsEntry("webhook", url).containsEntry("states", List.of("FAILED", "TIMED_OUT"));

        // A run that succeeds is not notified about; the one that fails is.
        assertThat(primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "boom.groovy")).json())
                .containsEntry("state", "SUCCEEDED");
        Map<String, Object> failed = primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "boom.groovy",
                "args", Map.of("fail", "disk full"))).json();
        assertThat(failed).containsEntry("state", "FAILED");
        String id = (String) failed.get("id");

        await().atMost(Duration.ofSeconds(20)).until(() -> accepted.size() == 1);
        Map<String, Object> payload = accepted.getFirst();
        assertThat(payload).containsEntry("runId", id).containsEntry("script", "boom.groovy").containsEntry("state", "FAILED")
                .containsEntry("notification", "ops").containsEntry("link", "/api/v1/runs/" + id)
                .containsKeys("startedAt", "endedAt", "durationMs", "result");
        assertThat(TestPrimary.map(payload.get("error")).get("message").toString()).contains("boom: disk full");

        await().atMost(Duration.ofSeconds(5)).until(() ->
                Api.list(primary.admin.get("/api/v1/notifications/ops"), "deliveries").size() == 3);
        List<Map<String, Object>> deliveries = Api.list(primary.admin.get("/api/v1/notifications/ops"), "deliveries");
        assertThat(deliveries).extracting(d -> d.get("outcome")).containsExactly("FAILED", "FAILED", "DELIVERED");
        assertThat(deliveries).extracting(d -> d.get("attempt")).containsExactly(1, 2, 3);
        assertThat(deliveries.getFirst().get("detail")).isEqualTo("HTTP 500");
        assertThat(calls.get()).isEqualTo(3);
        assertThat(accepted).hasSize(1);
    }

    @Test
    void aScriptNotificationRunsTheScriptWithThePayloadAsArgs() {
        primary.push("on-fail.groovy", "shared.put('about', args.runId); return args.state + ' ' + args.script");
        Http.Answer added = primary.admin.post("/api/v1/notifications", Map.of("name", "page",
                "states", List.of("FAILED"), "runScript", "on-fail.groovy"));
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        String id = (String) primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "boom.groovy",
                "args", Map.of("fail", "x"))).json().get("id");

        await().atMost(Duration.ofSeconds(20)).until(() -> Api.runsOf(primary, "on-fail.groovy").stream()
                .anyMatch(r -> "SUCCEEDED".equals(r.get("state"))));
        Map<String, Object> notified = Api.runsOf(primary, "on-fail.groovy").getFirst();
        assertThat(notified).containsEntry("result", "FAILED boom.groovy").containsEntry("invoker", "notify:page");
        assertThat(TestPrimary.map(notified.get("args"))).containsEntry("runId", id).containsEntry("state", "FAILED");
        assertThat(Api.list(primary.admin.get("/api/v1/notifications/page"), "deliveries"))
                .singleElement().satisfies(d -> assertThat(d).containsEntry("outcome", "DELIVERED")
                        .containsEntry("detail", "started run " + notified.get("id")));
    }

    @Test
    void notificationsAreListedAndRemoved() {
        primary.admin.post("/api/v1/notifications", Map.of("name", "a", "states", List.of("LOST"),
                "webhook", "https://example.invalid/x"));
        assertThat(Api.list(primary.admin.get("/api/v1/notifications"), "notifications")).extracting(n -> n.get("name"))
                .containsExactly("a");
        assertThat(primary.admin.delete("/api/v1/notifications/a").json()).containsEntry("removed", true);
        assertThat(primary.admin.delete("/api/v1/notifications/a").status()).isEqualTo(404);
        assertThat(Api.list(primary.admin.get("/api/v1/notifications"), "notifications")).isEmpty();
    }
}
