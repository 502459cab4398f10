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
 *
 * <p>Then the node info an agent reports, field by field: heartbeats and hellos whose info has random fields of the
 * wrong type or size are refused naming the field, store nothing, and {@code GET /api/v1/nodes} answers 200 after
 * each (a list as {@code info.name} once made it answer 500); good heartbeats in between are stored and shown.
 */
class AgentLinkFrameFuzzTest {
    static final int FRAMES = 300;
    static final int HEARTBEATS = 200;
    static final int HELLOS = 30;

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

    @Test
    void heartbeatsAndHellosWithWrongTypedInfoAreRefusedAndTheNodeListStaysReadable() {
        Fuzz fuzz = new Fuzz(0x1EA27BEA7L);
        try (TestPrimary primary = new TestPrimary(ServerConfig.defaults(dir)
                .withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)).withNode("primary-node", Map.of())
                .withAgents(new ServerConfig.AgentSettings(Duration.ofSeconds(10), Duration.ofSeconds(5),
                        Duration.ofSeconds(10), false)))) {
            RawLink link = joined(primary, fuzz, 0);
            String node = "fuzz-0";
            String shownHost = null;
            int sync = 0;
            int refused = 0;
            try {
                for (int i = 0; i < HEARTBEATS; i++) {
                    Map<String, Object> info = goodInfo(node, "host-" + i);
                    boolean good = fuzz.below(4) == 0;
                    List<String> fields = good ? List.of() : wrongFields(fuzz, info);
                    String what = "heartbeat " + i + " " + Fuzz.abbreviate(SelectorFuzzTest.json(info));
                    int before = link.errors().size();
                    link.send(Map.of("type", "heartbeat", "time", "2026-01-01T00:00:00Z", "info", info));
                    // frames of one link are handled in order: the sync's error says the heartbeat was handled
                    String sentinel = "fuzz-sync-" + sync++;
                    link.send(Map.of("type", sentinel));
                    await().atMost(Fuzz.TIMEOUT).until(() -> link.errors().stream()
                            .anyMatch(e -> String.valueOf(e.get("message")).contains("'" + sentinel + "'")));
                    List<Map<String, Object>> answers = link.errors().subList(before, link.errors().size());
                    if (good) {
                        assertThat(answers).as(fuzz.at(what + " is good")).hasSize(1);
                        shownHost = "host-" + i;
                    } else {
                        assertThat(answers).as(fuzz.at(what + " has wrong " + fields)).hasSize(2);
                        refused++;
                        assertThat(String.valueOf(answers.getFirst().get("message"))).as(fuzz.at(what))
                                .contains("malformed 'heartbeat' frame").containsAnyOf(fields.stream()
                                        .map(f -> f.equals("labels") ? "label" : "info." + f).toArray(String[]::new))
                                .doesNotContain("\tat ");
                        assertThat(answers.getFirst()).as(fuzz.at(what)).containsEntry("code", "bad_message");
                    }
                    assertThat(link.isOpen()).as(fuzz.at(what + ": the link")).isTrue();
                    nodesAnswerWell(primary, fuzz, what);
                    Map<String, Object> shown = nodeInfo(primary, node);
                    assertThat(shown).as(fuzz.at(what + ": the node's info")).containsEntry("name", node);
                    if (shownHost != null) {
                        assertThat(shown).as(fuzz.at(what + ": the last good info is shown")).containsEntry("host", shownHost);
                    }
                }
            } finally {
                link.close();
            }
            String metrics = primary.admin.get("/metrics").body();
            assertThat(metrics).as(fuzz.at("refused heartbeats are counted"))
                    .containsPattern("steward_agent_frames_refused_total\\{type=\"heartbeat\",?\\} " + refused + "\\.0");
            for (int i = 0; i < HELLOS; i++) {
                String name = "hello-fuzz-" + i;
                Map<String, Object> info = goodInfo(name, "h");
                List<String> fields = wrongFields(fuzz, info);
                String what = "hello " + i + " " + Fuzz.abbreviate(SelectorFuzzTest.json(info));
                String token = (String) primary.admin.post("/api/v1/tokens", Map.of("name", "join-hello-" + i,
                        "role", "agent")).json().get("token");
                try (RawLink hello = RawLink.withToken(primary.server.url(), token)) {
                    hello.send(Map.of("type", "hello", "name", name, "info", info, "runs", List.of()));
                    String message = String.valueOf(hello.awaitError(1).get("message"));
                    assertThat(message).as(fuzz.at(what)).contains("malformed 'hello' frame").containsAnyOf(fields
                            .stream().map(f -> f.equals("labels") ? "label" : "info." + f).toArray(String[]::new));
                    assertThat(hello.received).as(fuzz.at(what + ": no welcome"))
                            .noneMatch(f -> "welcome".equals(f.get("type")));
                }
                nodesAnswerWell(primary, fuzz, what);
                assertThat(primary.admin.get("/api/v1/nodes/" + name).status()).as(fuzz.at(what + ": not stored"))
                        .isEqualTo(404);
                assertThat(String.valueOf(primary.admin.get("/api/v1/tokens").json())).as(fuzz.at(what
                        + ": no credential issued")).doesNotContain(AgentLink.CREDENTIAL_PREFIX + name);
            }
            fuzz.primaryStillServes(primary);
        }
    }

    private static void nodesAnswerWell(TestPrimary primary, Fuzz fuzz, String what) {
        var list = primary.admin.get("/api/v1/nodes");
        assertThat(list.status()).as(fuzz.at(what + ": GET /api/v1/nodes " + Fuzz.abbreviate(list.body()))).isEqualTo(200);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> nodeInfo(TestPrimary primary, String node) {
        var one = primary.admin.get("/api/v1/nodes/" + node);
        assertThat(one.status()).as("GET /api/v1/nodes/" + node + " " + Fuzz.abbreviate(one.body())).isEqualTo(200);
        return (Map<String, Object>) one.json().get("info");
    }

    /** Node info as an agent sends it (io.steward.coordinator.NodeInfo#toMap), every field right. */
    static Map<String, Object> goodInfo(String name, String host) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", name);
        info.put("host", host);
        info.put("os", "Linux");
        info.put("arch", "amd64");
        info.put("cpus", 4);
        info.put("memoryBytes", 8L << 30);
        info.put("load", 0.5);
        info.put("labels", Map.of("role", "web"));
        info.put("jvm", "Eclipse Adoptium 25");
        info.put("version", "1.0");
        info.put("startedAt", "2026-01-01T00:00:00Z");
        return info;
    }

    /**
     * Gives one to three fields of {@code info} a value of the wrong type or size, each one the primary must refuse;
     * returns their names.
     */
    static List<String> wrongFields(Fuzz fuzz, Map<String, Object> info) {
        List<String> changed = new ArrayList<>();
        int n = 1 + fuzz.below(3);
        for (int m = 0; m < n; m++) {
            String field = fuzz.pick(new ArrayList<>(info.keySet()));
            List<Object> anyWrong = List.of(List.of(), List.of(1, "a"), Map.of(), Map.of("k", List.of()), true);
            List<Object> wrong = new ArrayList<>(anyWrong);
            switch (field) {
                case "cpus", "memoryBytes" -> wrong.addAll(List.of("8", 1.5, -1, new java.math.BigInteger("1180591620717411303424")));
                case "load" -> wrong.addAll(List.of("0.5", "", new java.math.BigInteger("1180591620717411303424")));
                case "labels" -> wrong.addAll(List.of("role=web", 1, Map.of("role", 1), Map.of("role", List.of("a")),
                        Map.of("", "x"), Map.of("k".repeat(64), "x"), Map.of("role", "v".repeat(257)),
                        Map.of("role", "a\u0000b"), manyLabels(65)));
                case "startedAt" -> wrong.addAll(List.of("yesterday", 12345, "", "2026-13-01T00:00:00Z"));
                default -> wrong.addAll(List.of(1, -1.5, "x".repeat(257 + fuzz.below(3000)), "a\u0000b", "tab\there"));
            }
            if (field.equals("labels")) {
                wrong.remove(Map.of()); // no labels at all is fine
            }
            info.put(field, fuzz.pick(wrong));
            changed.add(field);
        }
        return changed;
    }

    private static Map<String, Object> manyLabels(int n) {
        Map<String, Object> labels = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            labels.put("k" + i, "v");
        }
        return labels;
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
