package io.steward.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.steward.gateway.TestPrimary.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Variables, events, queues and pools over HTTP on a real primary: compare-and-set, roles, a queue that survives a
 * restart with nothing lost or taken twice, a pool served by priority and held by one run at a time, and bad input.
 */
class CoordinationOverHttpTest {
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
    void variablesSetByClientsAndScriptsWithCompareAndSetAndRoles() {
        Http.Answer set = primary.admin.put("/api/v1/vars/global/release", Map.of("value", Map.of("v", 7)));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json()).containsEntry("version", 1).containsEntry("value", Map.of("v", 7));

        Http.Answer stale = primary.admin.put("/api/v1/vars/global/release", Map.of("value", 8, "ifVersion", 0));
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.errorMessage()).contains("is at version 1, not 0");
        assertThat(primary.admin.put("/api/v1/vars/global/release", Map.of("value", 8, "ifVersion", 1)).json())
                .containsEntry("version", 2);

        primary.push("bump.groovy", "vars.put('seen', vars.get('release') + 1); vars.node.put('mine', true); vars.get('seen')");
        Map<String, Object> run = primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "bump.groovy")).json();
        assertThat(run).containsEntry("state", "SUCCEEDED").containsEntry("result", 9);
        assertThat(primary.admin.get("/api/v1/vars/global/seen").json()).containsEntry("value", 9);
        List<?> nodeVars = (List<?>) primary.admin.get("/api/v1/vars?scope=node:" + run.get("node")).json().get("vars");
        assertThat(nodeVars).hasSize(1);

        Http viewer = primary.withRole("viewer");
        assertThat(viewer.get("/api/v1/vars/global/seen").status()).isEqualTo(200);
        assertThat(viewer.put("/api/v1/vars/global/seen", Map.of("value", 0)).status()).isEqualTo(403);
        assertThat(primary.admin.get("/api/v1/vars/global/seen").json()).containsEntry("value", 9);

        assertThat(primary.admin.delete("/api/v1/vars/global/seen").json()).containsEntry("deleted", true);
        assertThat(primary.admin.get("/api/v1/vars/global/seen").status()).isEqualTo(404);
        assertThat(primary.admin.delete("/api/v1/vars/global/seen").status()).isEqualTo(404);
    }

    @Test
    void aQueueSurvivesARestartWithNothingLostAndNothingTakenTwice() {
        for (int i = 0; i < 10; i++) {
            assertThat(primary.admin.post("/api/v1/queues/builds/messages", Map.of("message", Map.of("n", i))).status())
                    .isEqualTo(201);
        }
        primary.push("take3.groovy", "(1..3).collect { queue('builds').take(5000) }");
        Map<String, Object> run = primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "take3.groovy")).json();
        List<Object> seen = new ArrayList<>((List<?>) run.get("result"));

        primary.close();
        primary = new TestPrimary(dir);

        assertThat(map(((List<?>) primary.admin.get("/api/v1/queues").json().get("queues")).getFirst()))
                .containsEntry("name", "builds").containsEntry("depth", 7);
        Map<String, Object> taken;
        while ((taken = primary.admin.post("/api/v1/queues/builds/take?wait=0", Map.of()).json()).get("taken") == Boolean.TRUE) {
            seen.add(taken.get("message"));
        }
        List<Object> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add(Map.of("n", i));
        }
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(taken).containsEntry("taken", false).containsEntry("message", null);
    }

    @Test
    void aPoolOfThreeServesTenWaitingRunsByPriorityOneRunPerEntry() {
        for (String e : List.of("m1", "m2", "m3")) {
            assertThat(primary.admin.put("/api/v1/pools/lab/entries/" + e, Map.of("value", Map.of("host", e + ".lab"))).status())
                    .isEqualTo(200);
        }
        // holds all three entries until the test posts 'go', so that ten runs queue up behind it
        primary.push("hold.groovy", """
                pool('lab').acquire(30000) { a -> pool('lab').acquire(30000) { b -> pool('lab').acquire(30000) { c ->
                    event('go').wait(60000) } } }
                """);
        primary.push("use.groovy", """
                pool('lab').acquire(60000, args.priority as int) { entry ->
                    queue('order').put(args.name)
                    if (!vars.cas('held-' + entry, null, runId)) throw new IllegalStateException(entry + ' held twice')
                    sleep(20)
                    vars.remove('held-' + entry)
                    pool('lab').valueOf(entry).host
                }
                """);
        String holder = (String) primary.admin.post("/api/v1/runs", Map.of("script", "hold.groovy")).json().get("id");
        await().until(() -> ((Number) primary.admin.get("/api/v1/pools/lab").json().get("free")).intValue() == 0);
        int[] priorities = {1, 5, 1, 9, 5, 0, 3, 9, 2, 7};
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < priorities.length; i++) {
            String name = "w" + i + "p" + priorities[i];
            ids.add((String) primary.admin.post("/api/v1/runs", Map.of("script", "use.groovy",
                    "args", Map.of("name", name, "priority", priorities[i]))).json().get("id"));
            int queued = i + 1;
            await().until(() -> ((List<?>) primary.admin.get("/api/v1/pools/lab").json().get("waiters")).size() == queued);
        }
        List<?> waiters = (List<?>) primary.admin.get("/api/v1/pools/lab").json().get("waiters");
        List<String> serving = waiters.stream().map(w -> (String) map(w).get("run")).toList();
        List<String> expected = List.of(ids.get(3), ids.get(7), ids.get(9), ids.get(1), ids.get(4), ids.get(6),
                ids.get(8), ids.get(0), ids.get(2), ids.get(5));
        assertThat(serving).containsExactlyElementsOf(expected);

        assertThat(primary.admin.post("/api/v1/events/go", Map.of("action", "post")).json()).containsEntry("posted", true);
        for (String id : ids) {
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    !"RUNNING".equals(primary.admin.get("/api/v1/runs/" + id).json().get("state")));
            Map<String, Object> end = primary.admin.get("/api/v1/runs/" + id).json();
            assertThat(end).as(end.toString()).containsEntry("state", "SUCCEEDED");
            assertThat((String) end.get("result")).endsWith(".lab");
        }
        await().until(() -> "SUCCEEDED".equals(primary.admin.get("/api/v1/runs/" + holder).json().get("state")));
        List<String> order = new ArrayList<>();
        Map<String, Object> taken;
        while ((taken = primary.admin.post("/api/v1/queues/order/take", Map.of()).json()).get("taken") == Boolean.TRUE) {
            order.add((String) taken.get("message"));
        }
        // the three entries went to the three highest priorities first, the rest followed as entries came back
        assertThat(new LinkedHashSet<>(order.subList(0, 3))).isEqualTo(Set.of("w3p9", "w7p9", "w9p7"));
        assertThat(order).hasSize(10);
        assertThat(map(primary.admin.get("/api/v1/pools/lab").json())).containsEntry("free", 3);
    }

    @Test
    void cancellingRunsInTheMiddleOfTheirWritesLeavesTheStoreWorking() {
        // a cancel interrupts the run's threads; an H2 file interrupted mid-write would close the whole database
        primary.push("busy.groovy", """
                shared.put('busy', true)
                def i = 0
                while (true) { vars.put('n-' + runId, i++); queue('q-' + runId).put(i); queue('q-' + runId).take(0) }
                """);
        for (int round = 0; round < 5; round++) {
            String id = (String) primary.admin.post("/api/v1/runs", Map.of("script", "busy.groovy")).json().get("id");
            await().until(() -> map(primary.admin.get("/api/v1/runs/" + id).json().get("shared")).get("busy") != null);
            assertThat(primary.admin.post("/api/v1/runs/" + id + "/cancel", Map.of()).status()).isEqualTo(200);
            await().until(() -> "CANCELLED".equals(primary.admin.get("/api/v1/runs/" + id).json().get("state")));
        }
        assertThat(primary.admin.put("/api/v1/vars/global/after", Map.of("value", 1)).status()).isEqualTo(200);
        primary.push("after.groovy", "vars.get('after') + 1");
        assertThat(primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "after.groovy")).json())
                .containsEntry("state", "SUCCEEDED").containsEntry("result", 2);
    }

    @Test
    void badInputIsRefusedWithTheRuleAndChangesNothing() {
        Map<String, Integer> expected = new HashMap<>();
        expected.put("/api/v1/vars/global/.hidden", 400);
        expected.put("/api/v1/vars/elsewhere/x", 400);
        expected.put("/api/v1/pools/lab/entries/-x", 400);
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            Http.Answer a = primary.admin.put(e.getKey(), Map.of("value", 1));
            assertThat(a.status()).as(e.getKey() + ": " + a.body()).isEqualTo(e.getValue());
            assertThat(a.errorMessage()).as(e.getKey()).containsAnyOf("is not allowed", "scope");
        }
        assertThat(primary.admin.put("/api/v1/vars/global/x", Map.of("value", 1, "ttl", "-5s")).status()).isEqualTo(400);
        assertThat(primary.admin.put("/api/v1/vars/global/x", Map.of("value", 1, "ifVersion", -1)).status()).isEqualTo(400);
        assertThat(primary.admin.put("/api/v1/vars/global/x", Map.of("ttl", "5s")).status()).isEqualTo(400);
        assertThat(primary.admin.put("/api/v1/vars/global/x", "{not json").status()).isEqualTo(400);
        assertThat(primary.admin.post("/api/v1/queues/q/take?wait=10m", Map.of()).status()).isEqualTo(400);
        assertThat(primary.admin.post("/api/v1/events/go", Map.of("action", "explode")).errorMessage())
                .contains("unknown action 'explode'");
        assertThat(primary.admin.get("/api/v1/pools/nosuch").status()).isEqualTo(404);
        assertThat(primary.admin.delete("/api/v1/pools/nosuch/entries/x").status()).isEqualTo(404);
        assertThat((List<?>) primary.admin.get("/api/v1/vars").json().get("vars")).isEmpty();
        assertThat(primary.admin.get("/api/v1/coordination").json())
                .containsEntry("locks", List.of()).containsEntry("queues", List.of()).containsEntry("pools", List.of());
        // Jetty itself refuses a NUL in the path (its own HTML 400) before any route sees it, and drops the
        // connection after it: last, so that no later request of this client meets the closed connection
        assertThat(primary.admin.put("/api/v1/vars/global/a%00b", Map.of("value", 1)).status()).isEqualTo(400);
        assertThat((List<?>) primary.admin.as(primary.admin.token()).get("/api/v1/vars").json().get("vars")).isEmpty();
    }
}
