package io.steward.security;

import io.steward.gateway.GatewayConfig;
import io.steward.gateway.TestPrimary;
import io.steward.nodes.AgentLink;
import io.steward.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent link is an explicit allowlist of frame types (Salt CVE-2020-11651), opened only with an agent token
 * and never from another site's web page (Jenkins CVE-2024-23898): without a token, with a person's token or with
 * a foreign {@code Origin} the link is closed with an error frame; before {@code hello} every allowlisted frame is
 * refused and changes nothing.
 */
class AgentLinkRefusesStrangersTest {
    @TempDir
    Path dir;
    TestPrimary primary;

    @BeforeEach
    void setUp() {
        primary = new TestPrimary(ServerConfig.defaults(dir).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20))
                .withNode("primary-node", Map.of())
                .withAgents(new ServerConfig.AgentSettings(Duration.ofSeconds(10), Duration.ofSeconds(5),
                        Duration.ofSeconds(10), false)));
    }

    @AfterEach
    void tearDown() {
        primary.close();
    }

    @Test
    void theDocumentedFrameTypesAreTheAllowlist() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "agent-protocol.md"));
        String list = doc.substring(doc.indexOf("<!-- frame allowlist -->"), doc.indexOf("<!-- end frame allowlist -->"));
        Set<String> documented = Arrays.stream(list.split("`")).filter(s -> s.matches("[a-z-]+"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(documented).isEqualTo(new TreeSet<>(AgentLink.FRAME_TYPES));
    }

    @Test
    void withoutAnAgentTokenTheLinkIsClosedWithAnError() {
        Map<String, Map<String, String>> attempts = new LinkedHashMap<>();
        attempts.put("no token", Map.of());
        attempts.put("not a bearer", Map.of("Authorization", "Basic YWRtaW46YWRtaW4="));
        attempts.put("unknown token", Map.of("Authorization", "Bearer stw_nothing"));
        for (String role : List.of("viewer", "operator", "admin")) {
            attempts.put(role + " token", Map.of("Authorization", "Bearer " + primary.withRole(role).token()));
        }
        attempts.forEach((what, headers) -> {
            try (RawLink link = RawLink.open(primary.server.url(), headers)) {
                link.trySend(hello("intruder"));
                assertThat(link.awaitClose()).as(what).isIn(1008, -1);
                assertThat(link.errors()).as(what).singleElement()
                        .satisfies(e -> assertThat(e).containsEntry("code", "unauthorized"));
                assertThat(link.received).as(what).noneMatch(f -> "welcome".equals(f.get("type")));
            }
        });
        assertNothingJoined();
    }

    @Test
    void aForeignOriginIsRefusedEvenWithAGoodToken() {
        String token = joinToken();
        for (String origin : List.of("https://evil.example", "http://127.0.0.1.evil.example:" + primary.server.port(),
                "null", "http://127.0.0.1:1")) {
            try (RawLink link = RawLink.open(primary.server.url(), Map.of("Authorization", "Bearer " + token,
                    "Origin", origin))) {
                link.trySend(hello("web-1"));
                assertThat(link.awaitClose()).as(origin).isIn(1008, -1);
                assertThat(link.errors()).as(origin).singleElement()
                        .satisfies(e -> assertThat(e).containsEntry("code", "forbidden_origin"));
            }
        }
        assertNothingJoined();
        // the primary's own origin, and no Origin at all (as agents send), are let in
        try (RawLink link = RawLink.open(primary.server.url(), Map.of("Authorization", "Bearer " + token,
                "Origin", primary.server.url()))) {
            link.send(hello("web-1"));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> link.received.stream().anyMatch(f -> "welcome".equals(f.get("type"))));
        }
    }

    @Test
    void everyAllowlistedFrameBeforeHelloIsRefusedAndDoesNothing() {
        primary.push("probe.groovy", "'probe'");
        Map<String, Object> fakeRun = Map.of("id", "01PROBE", "script", "probe.groovy", "version", 1,
                "state", "SUCCEEDED", "node", "ghost", "lastSeq", 1);
        Map<String, Map<String, Object>> frames = new LinkedHashMap<>();
        frames.put("heartbeat", Map.of("info", Map.of("name", "ghost")));
        frames.put("created", Map.of("run", fakeRun));
        frames.put("events", Map.of("id", "01PROBE", "events", List.of(Map.of("seq", 1, "kind", "state",
                "time", "2026-01-01T00:00:00Z", "data", Map.of("state", "RUNNING")))));
        frames.put("ended", Map.of("run", fakeRun));
        frames.put("refused", Map.of("id", "01PROBE", "message", "no"));
        frames.put("status", Map.of("pollId", "p1", "runs", List.of(fakeRun)));
        frames.put("delivered", Map.of("messageId", "m1", "id", "01PROBE", "seq", 1));
        frames.put("undeliverable", Map.of("messageId", "m2", "id", "01PROBE", "reason", "no"));
        frames.put("child", Map.of("requestId", "r1", "parent", "01PROBE", "script", "probe.groovy"));
        frames.put("coord", Map.of("requestId", "r2", "op", "putVar", "run", "01PROBE", "thread", "main",
                "scope", "global", "name", "probe", "value", "x"));
        frames.put("error", Map.of("code", "x", "message", "y"));
        assertThat(frames.keySet()).as("one probe for every allowlisted type but hello")
                .containsExactlyInAnyOrderElementsOf(AgentLink.FRAME_TYPES.stream().filter(t -> !t.equals("hello")).toList());
        try (RawLink link = RawLink.withToken(primary.server.url(), joinToken())) {
            int n = 0;
            for (var frame : frames.entrySet()) {
                Map<String, Object> sent = new LinkedHashMap<>(frame.getValue());
                sent.put("type", frame.getKey());
                link.send(sent);
                Map<String, Object> error = link.awaitError(++n);
                assertThat(error).as(frame.getKey()).containsEntry("code", "bad_message");
                assertThat((String) error.get("message")).as(frame.getKey()).contains("say hello first");
            }
            assertThat(link.isOpen()).isTrue();
        }
        assertNothingJoined();
        assertThat((List<?>) primary.admin.get("/api/v1/runs").json().get("runs")).isEmpty();
        assertThat(primary.admin.get("/api/v1/vars/global/probe").status()).isEqualTo(404);
    }

    @Test
    void typesOffTheAllowlistAreRefusedAndEveryAllowlistedTypeHasItsHandler() {
        try (RawLink link = RawLink.withToken(primary.server.url(), joinToken())) {
            link.send(hello("web-1"));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> link.received.stream().anyMatch(f -> "welcome".equals(f.get("type"))));
            for (String type : AgentLink.FRAME_TYPES) {
                if (!type.equals("hello")) {
                    link.send(Map.of("type", type));
                }
            }
            // frames of one link are handled in order: once the last one's answer is here, all were handled
            for (String stranger : List.of("run", "ack", "invoke", "constructor", "__proto__", "HELLO", "end")) {
                link.send(Map.of("type", stranger));
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> link.errors().stream()
                    .anyMatch(e -> String.valueOf(e.get("message")).contains("'end'")));
            List<String> unknown = link.errors().stream().map(e -> String.valueOf(e.get("message")))
                    .filter(m -> m.startsWith("unknown frame type")).toList();
            assertThat(unknown).containsExactly("unknown frame type 'run'", "unknown frame type 'ack'",
                    "unknown frame type 'invoke'", "unknown frame type 'constructor'", "unknown frame type '__proto__'",
                    "unknown frame type 'HELLO'", "unknown frame type 'end'");
            assertThat(link.isOpen()).isTrue();
        }
    }

    private void assertNothingJoined() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) primary.admin.get("/api/v1/nodes").json().get("nodes");
        assertThat(nodes).extracting(n -> n.get("name")).containsExactly("primary-node");
        assertThat(primary.admin.get("/api/v1/tokens").body()).doesNotContain("node@");
    }

    private String joinToken() {
        return (String) primary.admin.post("/api/v1/tokens", Map.of("name", "join-" + System.nanoTime(),
                "role", "agent")).json().get("token");
    }

    private static Map<String, Object> hello(String name) {
        return Map.of("type", "hello", "name", name, "labels", Map.of(), "info", Map.of("name", name), "runs", List.of());
    }
}
