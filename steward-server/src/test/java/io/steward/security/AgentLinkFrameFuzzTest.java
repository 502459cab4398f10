package io.steward.security;

import io.steward.gateway.GatewayConfig;
import io.steward.gateway.TestPrimary;
import io.steward.nodes.AgentLink;
import io.steward.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * After a valid {@code hello}, random frames of every allowlisted type with mutated fields (wrong types, missing
 * or null fields, ids of runs that do not exist or belong to another node): the link answers error frames and stays
 * up, or closes with 1008; no run is created or changed; and the primary still runs a script end to end.
 */
class AgentLinkFrameFuzzTest {
    static final int FRAMES = 300;

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void mutatedFramesAreRefusedAndChangeNothing() {
        Fuzz fuzz = new Fuzz(0xA9E17L);
        try (TestPrimary primary = new TestPrimary(ServerConfig.defaults(dir)
                .withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)).withNode("primary-node", Map.of())
                .withAgents(new ServerConfig.AgentSettings(Duration.ofSeconds(10), Duration.ofSeconds(5),
                        Duration.ofSeconds(10), false)))) {
            primary.push("probe.groovy", "'probe'");
            String realRun = (String) primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "probe.groovy"))
                    .json().get("id");
            Object runsBefore = primary.admin.get("/api/v1/runs").json().get("runs");
            List<String> types = AgentLink.FRAME_TYPES.stream().filter(t -> !t.equals("hello")).sorted().toList();
            RawLink link = joined(primary, fuzz, 0);
            int links = 1;
            try {
                for (int i = 0; i < FRAMES; i++) {
                    String type = fuzz.pick(types);
                    Map<String, Object> frame = mutate(fuzz, base(type, fuzz.pick(List.of("01NOPE", realRun, "", "../x",
                            "0".repeat(5000)))));
                    frame.put("type", type);
                    String what = "frame " + i + " " + Fuzz.abbreviate(SelectorFuzzTest.json(frame));
                    try {
                        if (fuzz.below(20) == 0) {
                            link.sendRaw(SelectorFuzzTest.json(frame).substring(0, 1 + fuzz.below(10)));
                        } else {
                            link.send(frame);
                        }
                    } catch (java.util.concurrent.CompletionException closedUnderUs) {
                        assertThat(link.isOpen()).as(fuzz.at(what + ": send failed on an open link")).isFalse();
                    }
                    if (!link.isOpen()) {
                        assertThat(link.awaitClose()).as(fuzz.at(what + " closed the link with")).isEqualTo(1008);
                        link.close();
                        link = joined(primary, fuzz, links++);
                    }
                }
                // frames of one link are handled in order: once the sentinel's answer is here, all were handled
                link.send(Map.of("type", "fuzz-end"));
                RawLink last = link;
                await().atMost(Fuzz.TIMEOUT).until(() -> !last.isOpen() || last.errors().stream()
                        .anyMatch(e -> String.valueOf(e.get("message")).contains("'fuzz-end'")));
                assertThat(link.isOpen()).as(fuzz.at("the link after the last frame")).isTrue();
                for (Map<String, Object> error : link.errors()) {
                    assertThat(String.valueOf(error.get("message"))).as(fuzz.at("error frame " + error)).isNotBlank()
                            .doesNotContain("\tat ");
                }
            } finally {
                link.close();
            }
            assertThat(primary.admin.get("/api/v1/runs").json().get("runs")).as(fuzz.at("the runs after fuzzing"))
                    .isEqualTo(runsBefore);
            assertThat(primary.admin.get("/api/v1/vars/global/probe").status()).as(fuzz.at("no variable set")).isEqualTo(404);
            fuzz.primaryStillServes(primary);
        }
    }

    private static RawLink joined(TestPrimary primary, Fuzz fuzz, int n) {
        String token = (String) primary.admin.post("/api/v1/tokens", Map.of("name", "join-" + n + "-" + System.nanoTime(),
                "role", "agent")).json().get("token");
        RawLink link = RawLink.withToken(primary.server.url(), token);
        link.send(Map.of("type", "hello", "name", "fuzz-" + n, "labels", Map.of(), "info", Map.of("name", "fuzz-" + n),
                "runs", List.of()));
        await().atMost(Fuzz.TIMEOUT).until(() -> link.received.stream().anyMatch(f -> "welcome".equals(f.get("type")))
                || !link.isOpen());
        assertThat(link.isOpen()).as(fuzz.at("a fresh link after hello: " + link.received)).isTrue();
        return link;
    }

    /** A well-formed frame of the type, about the given run id, for the mutations to start from. */
    static Map<String, Object> base(String type, String runId) {
        Map<String, Object> run = new LinkedHashMap<>(Map.of("id", runId, "script", "probe.groovy", "version", 1,
                "state", "SUCCEEDED", "node", "fuzz-0", "lastSeq", 1));
        Map<String, Object> frame = new LinkedHashMap<>(switch (type) {
            case "heartbeat" -> Map.of("info", Map.of("name", "fuzz-0"));
            case "created", "ended" -> Map.of("run", run);
            case "events" -> Map.of("id", runId, "events", List.of(Map.of("seq", 2, "kind", "state",
                    "time", "2026-01-01T00:00:00Z", "data", Map.of("state", "FAILED"))));
            case "refused" -> Map.of("id", runId, "message", "no");
            case "status" -> Map.of("pollId", "p1", "runs", List.of(run));
            case "delivered" -> Map.of("messageId", "m1", "id", runId, "seq", 1);
            case "undeliverable" -> Map.of("messageId", "m2", "id", runId, "reason", "no");
            case "child" -> Map.of("requestId", "r1", "parent", runId, "script", "probe.groovy");
            case "coord" -> Map.of("requestId", "r2", "op", "putVar", "run", runId, "thread", "main",
                    "scope", "global", "name", "probe", "value", "x");
            default -> Map.of("code", "x", "message", "y");
        });
        return frame;
    }

    /** One to three mutations of random fields (nested ones too, one level down). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> mutate(Fuzz fuzz, Map<String, Object> frame) {
        int mutations = 1 + fuzz.below(3);
        for (int m = 0; m < mutations; m++) {
            Map<String, Object> target = frame;
            List<String> keys = new ArrayList<>(target.keySet());
            if (keys.isEmpty()) {
                break;
            }
            String key = fuzz.pick(keys);
            if (target.get(key) instanceof Map<?, ?> inner && !inner.isEmpty() && fuzz.below(2) == 0) {
                target = new LinkedHashMap<>((Map<String, Object>) inner);
                frame.put(key, target);
                key = fuzz.pick(new ArrayList<>(target.keySet()));
            } else if (target.get(key) instanceof List<?> list && !list.isEmpty() && list.getFirst() instanceof Map<?, ?> first
                    && fuzz.below(2) == 0) {
                target = new LinkedHashMap<>((Map<String, Object>) first);
                frame.put(key, new ArrayList<>(List.of(target)));
                key = fuzz.pick(new ArrayList<>(target.keySet()));
            }
            switch (fuzz.below(5)) {
                case 0 -> target.remove(key);
                case 1 -> target.put(key, null);
                case 2 -> target.put(key, fuzz.pick(List.of(-1, Long.MAX_VALUE, 1.5, true, "text", "", List.of(),
                        List.of(1, "a", List.of()), Map.of(), Map.of("k", List.of(Map.of())))));
                case 3 -> target.put(key, fuzz.noise(30));
                default -> target.put(key, fuzz.pick(List.of("01NOPE", "", "fuzz-1", "primary-node", "x".repeat(3000))));
            }
        }
        return frame;
    }
}
