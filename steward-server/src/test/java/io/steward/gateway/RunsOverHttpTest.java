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

/** Push, invoke, poll, page events, read output and cancel through real HTTP, in Groovy and JavaScript. */
class RunsOverHttpTest {
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
    void invokeWithWaitAnswersWithTheWholeRun() {
        primary.push("greet.groovy", """
                shared.put('who', args.who)
                status.set('phase', 'done')
                exec('echo hello from groovy').stdout.trim()
                """);
        Http.Answer a = primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "greet.groovy", "args", Map.of("who", "you")));
        assertThat(a.status()).isEqualTo(201);
        Map<String, Object> run = a.json();
        assertThat(run).containsEntry("state", "SUCCEEDED").containsEntry("result", "hello from groovy")
                .containsEntry("shared", Map.of("who", "you")).containsEntry("script", "greet.groovy")
                .containsEntry("version", 1);
        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) run.get("status");
        assertThat(status).containsEntry("values", Map.of("phase", "done")).containsEntry("progress", null);
        assertThat(a.headers().firstValue("Location")).hasValue("/api/v1/runs/" + run.get("id"));

        Map<String, Object> polled = primary.admin.get("/api/v1/runs/" + run.get("id")).json();
        assertThat(polled).containsEntry("state", "SUCCEEDED").containsEntry("invoker", "admin");
    }

    @Test
    void theOutputAndEventsReadRightAfterWaitAreTheWholeTimeline() {
        primary.push("echo.groovy", "exec('echo out'); log.info('logged'); 'done'");
        // Many runs, because the group commit trails the run's end by a fraction of a millisecond at times only.
        for (int i = 0; i < 30; i++) {
            String id = (String) primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "echo.groovy")).json().get("id");
            Http.Answer output = primary.admin.get("/api/v1/runs/" + id + "/output");
            assertThat(output.body()).isEqualTo("out\n");
            assertThat(output.headers().firstValue("X-More")).contains("false");
            assertThat(primary.admin.get("/api/v1/runs/" + id + "/events?limit=10000").json()).containsEntry("ended", true);
        }
    }

    @Test
    void anOlderVersionCanBeInvokedAndIdenticalPushesMakeNoVersion() {
        primary.push("v.groovy", "'one'");
        primary.push("v.groovy", "'two'");
        assertThat(primary.push("v.groovy", "'two'").json()).containsEntry("created", false).containsEntry("version", 2);
        assertThat(primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "v.groovy", "version", 1)).json())
                .containsEntry("result", "one").containsEntry("version", 1);
        assertThat(primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "v.groovy")).json())
                .containsEntry("result", "two").containsEntry("version", 2);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> versions = (List<Map<String, Object>>) primary.admin.get("/api/v1/scripts/v.groovy/history")
                .json().get("versions");
        assertThat(versions).hasSize(2);
        assertThat(primary.admin.delete("/api/v1/scripts/v.groovy").status()).isEqualTo(200);
        assertThat(primary.admin.post("/api/v1/runs", Map.of("script", "v.groovy")).status()).isEqualTo(404);
        assertThat(primary.admin.get("/api/v1/scripts/v.groovy?version=1").json()).containsEntry("source", "'one'");
    }

    @Test
    void aJavaScriptRunReportsTheSame() {
        primary.push("lib/add.js", "function add(a, b) { return a + b; }");
        primary.push("sum.js", "include('lib/add.js'); status.progress(1, 'all'); add(args.a, args.b);");
        Map<String, Object> run = primary.admin.post("/api/v1/runs?wait=30s",
                Map.of("script", "sum.js", "args", Map.of("a", 2, "b", 3))).json();
        assertThat(run).containsEntry("state", "SUCCEEDED").containsEntry("result", 5);
        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) run.get("status");
        assertThat(status.get("progress")).isEqualTo(Map.of("fraction", 1.0, "message", "all"));
    }

    @Test
    void invokeWithoutWaitAnswersAtOnceAndThePollFollowsTheRun() {
        primary.push("slow.groovy", "sleep(300); 'late'");
        Http.Answer a = primary.admin.post("/api/v1/runs", Map.of("script", "slow.groovy"));
        assertThat(a.status()).isEqualTo(201);
        assertThat(a.json().get("state")).isIn("QUEUED", "RUNNING");
        String id = (String) a.json().get("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> "SUCCEEDED".equals(primary.admin.get("/api/v1/runs/" + id).json().get("state")));
        assertThat(primary.admin.get("/api/v1/runs/" + id).json()).containsEntry("result", "late");
    }

    @Test
    void eventsArePagedInOrderAfterASequenceNumber() {
        primary.push("ticks.groovy", "(1..30).each { status.set('tick', it) }; 'ok'");
        String id = (String) primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "ticks.groovy")).json().get("id");
        // Pages serve durable events, which trail the run's end by a group commit.
        await().until(() -> ((List<?>) primary.admin.get("/api/v1/runs/" + id + "/events?after=0&limit=10").json()
                .get("events")).size() == 10);
        Map<String, Object> first = primary.admin.get("/api/v1/runs/" + id + "/events?after=0&limit=10").json();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> events = (List<Map<String, Object>>) first.get("events");
        assertThat(events).extracting(e -> ((Number) e.get("seq")).longValue()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(first).containsEntry("next", 10).containsEntry("ended", false);
        long after = 10;
        int statusEvents = (int) events.stream().filter(e -> e.get("kind").equals("status")).count();
        boolean ended = false;
        while (!ended) {
            Map<String, Object> page = primary.admin.get("/api/v1/runs/" + id + "/events?after=" + after + "&limit=10").json();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> more = (List<Map<String, Object>>) page.get("events");
            for (Map<String, Object> e : more) {
                assertThat(((Number) e.get("seq")).longValue()).isEqualTo(++after);
                statusEvents += e.get("kind").equals("status") ? 1 : 0;
            }
            ended = (Boolean) page.get("ended");
        }
        assertThat(statusEvents).isEqualTo(30);
    }

    @Test
    void outputIsReadByByteOffset() {
        primary.push("print.groovy", "exec('for i in $(seq 1 1000); do echo line-$i; done'); 'printed'");
        String id = (String) primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "print.groovy")).json().get("id");
        StringBuilder all = new StringBuilder();
        long offset = 0;
        while (true) {
            Http.Answer chunk = primary.admin.get("/api/v1/runs/" + id + "/output?offset=" + offset + "&limit=1000");
            assertThat(chunk.status()).isEqualTo(200);
            assertThat(chunk.body().length()).isLessThanOrEqualTo(1000);
            all.append(chunk.body());
            offset = Long.parseLong(chunk.headers().firstValue("X-Next-Offset").orElseThrow());
            if (chunk.headers().firstValue("X-More").orElseThrow().equals("false")) {
                break;
            }
        }
        StringBuilder expected = new StringBuilder();
        for (int i = 1; i <= 1000; i++) {
            expected.append("line-").append(i).append('\n');
        }
        assertThat(all.toString()).isEqualTo(expected.toString());
    }

    @Test
    void cancelStopsALiveRunAndASecondCancelConflicts() {
        primary.push("forever.groovy", "sleep(600_000)");
        String id = (String) primary.admin.post("/api/v1/runs", Map.of("script", "forever.groovy")).json().get("id");
        Http.Answer cancel = primary.admin.post("/api/v1/runs/" + id + "/cancel", "");
        assertThat(cancel.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> "CANCELLED".equals(primary.admin.get("/api/v1/runs/" + id).json().get("state")));
        Http.Answer again = primary.admin.post("/api/v1/runs/" + id + "/cancel", "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.errorMessage()).contains("already ended as CANCELLED");
    }

    @Test
    void runsAreListedNewestFirstWithFiltersAndCursor() {
        primary.push("ok.groovy", "1");
        primary.push("bad.groovy", "throw new RuntimeException('x')");
        for (int i = 0; i < 3; i++) {
            primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "ok.groovy"));
            primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "bad.groovy"));
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> failed = (List<Map<String, Object>>) primary.admin.get("/api/v1/runs?state=FAILED").json().get("runs");
        assertThat(failed).hasSize(3).allSatisfy(r -> assertThat(r).containsEntry("script", "bad.groovy"));

        Map<String, Object> page1 = primary.admin.get("/api/v1/runs?limit=4").json();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> runs1 = (List<Map<String, Object>>) page1.get("runs");
        assertThat(runs1).hasSize(4);
        Map<String, Object> page2 = primary.admin.get("/api/v1/runs?limit=4&cursor=" + page1.get("next")).json();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> runs2 = (List<Map<String, Object>>) page2.get("runs");
        assertThat(runs2).hasSize(2);
        List<Object> ids = new java.util.ArrayList<>();
        runs1.forEach(r -> ids.add(r.get("id")));
        runs2.forEach(r -> ids.add(r.get("id")));
        assertThat(ids).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> ((String) b).compareTo((String) a));
    }
}
