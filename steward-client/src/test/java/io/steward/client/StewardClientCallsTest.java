package io.steward.client;

import io.steward.testkit.FakeApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each endpoint sends what docs/api.md says and hands back what the server answered. */
class StewardClientCallsTest {
    private FakeApi api;
    private StewardClient client;

    @BeforeEach
    void start() throws Exception {
        api = FakeApi.start();
        client = StewardClient.connect(api.url() + "/", "s3cret");
    }

    @AfterEach
    void stop() {
        client.close();
        api.close();
    }

    @Test
    void healthNeedsNoTokenAndEverythingElseSendsIt() {
        api.json("GET", "/health", 200, Map.of("status", "ok", "version", "0.1.0"));
        api.json("GET", "/api/v1/whoami", 200, Map.of("name", "admin", "role", "admin"));

        assertThat(client.health()).containsEntry("status", "ok");
        assertThat(client.whoami()).containsEntry("role", "admin");

        assertThat(api.requests("GET", "/health").getFirst().header("Authorization")).isNull();
        assertThat(api.requests("GET", "/api/v1/whoami").getFirst().header("Authorization")).isEqualTo("Bearer s3cret");
        assertThat(client.url()).isEqualTo(api.url());
        assertThat(client.toString()).doesNotContain("s3cret");
        // request/response calls leave the HttpClient unbuilt: a CLI command's start would pay for it
        assertThat(client.streaming()).isFalse();
    }

    @Test
    void scriptNamesKeepTheirSlashesAndEncodeTheRest() throws Exception {
        api.json("POST", "/api/v1/scripts", 201, Map.of("name", "deploy/web.groovy", "version", 1, "created", true));
        api.json("GET", "/api/v1/scripts/deploy/my%20web.groovy", 200, Map.of("name", "deploy/my web.groovy", "source", "1"));
        api.json("GET", "/api/v1/scripts/deploy/web.groovy/history", 200,
                Map.of("name", "deploy/web.groovy", "versions", List.of(Map.of("version", 1), Map.of("version", 2))));
        api.json("DELETE", "/api/v1/scripts/deploy/web.groovy", 200, Map.of("name", "deploy/web.groovy", "deleted", true));
        api.json("GET", "/api/v1/scripts", 200, Map.of("scripts", List.of(Map.of("name", "a.groovy"))));

        assertThat(client.pushScript("deploy/web.groovy", "println 'hi'")).containsEntry("created", true);
        assertThat(api.requests("POST", "/api/v1/scripts").getFirst().json())
                .isEqualTo(Map.of("name", "deploy/web.groovy", "source", "println 'hi'"));
        assertThat(client.script("deploy/my web.groovy", 3)).containsEntry("source", "1");
        assertThat(api.requests("GET", "/api/v1/scripts/deploy/my%20web.groovy").getFirst().query()).containsEntry("version", "3");
        assertThat(client.history("deploy/web.groovy")).extracting(v -> v.get("version")).containsExactly(1, 2);
        assertThat(client.deleteScript("deploy/web.groovy")).containsEntry("deleted", true);
        assertThat(client.scripts()).extracting(s -> s.get("name")).containsExactly("a.groovy");
    }

    @Test
    void invokeSendsOnlyWhatWasGivenAndWaitsAsAQueryParameter() throws Exception {
        api.json("POST", "/api/v1/runs", 201, Map.of("id", "r1", "state", "SUCCEEDED"));

        assertThat(client.invoke("hello.groovy", 2, Map.of("who", "you"), Duration.ofSeconds(90), Duration.ofMillis(500)))
                .containsEntry("id", "r1");
        assertThat(client.invoke("hello.groovy", null)).containsEntry("state", "SUCCEEDED");

        List<FakeApi.Request> calls = api.requests("POST", "/api/v1/runs");
        assertThat(calls.get(0).json()).isEqualTo(Map.of("script", "hello.groovy", "version", 2,
                "args", Map.of("who", "you"), "timeout", "90s"));
        assertThat(calls.get(0).query()).isEqualTo(Map.of("wait", "500ms"));
        assertThat(calls.get(0).header("Content-Type")).isEqualTo("application/json");
        assertThat(calls.get(1).json()).isEqualTo(Map.of("script", "hello.groovy"));
        assertThat(calls.get(1).query()).isEmpty();
    }

    @Test
    void runsPassesFiltersAndTheCursor() {
        api.json("GET", "/api/v1/runs", 200, Map.of("runs", List.of(Map.of("id", "r2"), Map.of("id", "r1")), "next", "c2"));

        RunPage page = client.runs(RunQuery.all().state("FAILED").script("a b.groovy").limit(2)
                .since(Instant.parse("2025-01-02T03:04:05Z")).cursor("c1"));

        assertThat(page.runs()).extracting(r -> r.get("id")).containsExactly("r2", "r1");
        assertThat(page.next()).isEqualTo("c2");
        assertThat(api.requests().getFirst().query()).isEqualTo(Map.of("state", "FAILED", "script", "a b.groovy",
                "since", "2025-01-02T03:04:05Z", "limit", "2", "cursor", "c1"));
    }

    @Test
    void runPollCancelAndAPageOfEvents() {
        api.json("GET", "/api/v1/runs/r%2F1", 200, Map.of("id", "r/1", "state", "RUNNING"));
        api.json("POST", "/api/v1/runs/r1/cancel", 200, Map.of("id", "r1", "state", "CANCELLED"));
        api.json("GET", "/api/v1/runs/r1/events", 200, Map.of("events", List.of(
                Map.of("seq", 4, "kind", "log", "time", 1700000000000L, "data", Map.of("message", "hi")),
                Map.of("seq", 5, "kind", "state", "time", 1700000000001L, "data", Map.of("state", "SUCCEEDED"))),
                "next", 5, "ended", true));

        assertThat(client.run("r/1")).containsEntry("state", "RUNNING");
        assertThat(client.cancel("r1")).containsEntry("state", "CANCELLED");
        EventPage page = client.events("r1", 3, 100);
        assertThat(page.events()).containsExactly(
                new Event(4, "log", 1700000000000L, Map.of("message", "hi")),
                new Event(5, "state", 1700000000001L, Map.of("state", "SUCCEEDED")));
        assertThat(page.events().getLast().isFinalState()).isTrue();
        assertThat(page.next()).isEqualTo(5);
        assertThat(page.ended()).isTrue();
        assertThat(api.requests("GET", "/api/v1/runs/r1/events").getFirst().query()).isEqualTo(Map.of("after", "3", "limit", "100"));
    }

    @Test
    void outputNeverEndsInsideACharacter() {
        byte[] text = "ok é".getBytes(StandardCharsets.UTF_8);
        byte[] cut = java.util.Arrays.copyOf(text, text.length - 1);
        api.on("GET", "/api/v1/runs/r1/output", (req, reply) -> reply.bytes(200, "text/plain; charset=utf-8", cut,
                Map.of("X-Next-Offset", String.valueOf(10 + cut.length), "X-More", "true")));

        Output out = client.output("r1", 10, 5, "stdout");

        assertThat(out.text()).isEqualTo("ok ");
        assertThat(out.nextOffset()).isEqualTo(13);
        assertThat(out.more()).isTrue();
        assertThat(api.requests().getFirst().query()).isEqualTo(Map.of("offset", "10", "limit", "5", "stream", "stdout"));
    }

    @Test
    void serverNodesTokensAndAudit() throws Exception {
        api.json("GET", "/api/v1/server", 200, Map.of("name", "primary", "cpus", 2));
        api.json("GET", "/api/v1/nodes", 200, Map.of("nodes", List.of(Map.of("name", "primary", "state", "online"))));
        api.json("GET", "/api/v1/nodes/primary", 200, Map.of("name", "primary", "state", "online"));
        api.json("POST", "/api/v1/tokens", 201, Map.of("name", "ci", "role", "operator", "token", "t0k"));
        api.json("GET", "/api/v1/tokens", 200, Map.of("tokens", List.of(Map.of("name", "ci", "role", "operator"))));
        api.json("DELETE", "/api/v1/tokens/ci", 200, Map.of("name", "ci", "revoked", true));
        api.json("GET", "/api/v1/audit", 200, Map.of("entries", List.of(Map.of("action", "invoke"))));

        assertThat(client.server()).containsEntry("cpus", 2);
        assertThat(client.nodes()).extracting(n -> n.get("state")).containsExactly("online");
        assertThat(client.node("primary")).containsEntry("name", "primary");
        assertThat(client.createToken("ci", "operator")).containsEntry("token", "t0k");
        assertThat(api.requests("POST", "/api/v1/tokens").getFirst().json()).isEqualTo(Map.of("name", "ci", "role", "operator"));
        assertThat(client.tokens()).hasSize(1);
        assertThat(client.revokeToken("ci")).containsEntry("revoked", true);
        assertThat(client.audit(10)).extracting(e -> e.get("action")).containsExactly("invoke");
        assertThat(api.requests("GET", "/api/v1/audit").getFirst().query()).isEqualTo(Map.of("limit", "10"));
    }
}
