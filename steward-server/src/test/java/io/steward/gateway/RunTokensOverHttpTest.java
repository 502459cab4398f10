package io.steward.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The callback routes over real HTTP with the token a run's process really got: what it may do to its own run,
 * what it is refused everywhere else, how bad input is answered, and that it dies with the run.
 */
class RunTokensOverHttpTest {
    /** Writes the process's token to a file, then keeps the run going until a message arrives. */
    private static final String HOLDS = "exec('printf %s \"$STEWARD_TOKEN\" > ' + args.file); inbox.take(60_000)";

    @TempDir
    Path dir;
    TestPrimary primary;

    @BeforeEach
    void setUp() {
        // a body limit above the callbacks' value limit, so that an oversized value meets the callback's own check
        primary = new TestPrimary(io.steward.server.ServerConfig.defaults(dir.resolve("primary"))
                .withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)));
        primary.push("holds.groovy", HOLDS);
    }

    @AfterEach
    void tearDown() {
        primary.close();
    }

    /** Starts a run that holds; answers its id and its process's token. */
    private String[] holdingRun(String name) throws Exception {
        Path file = dir.resolve(name + ".token");
        String id = (String) primary.admin.post("/api/v1/runs", Map.of("script", "holds.groovy",
                "args", Map.of("file", file.toString()))).json().get("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(file) && Files.size(file) > 0);
        return new String[]{id, Files.readString(file)};
    }

    private static Http.Answer put(Http http, String path, String json) {
        return http.send(http.request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    @Test
    void aRunTokenActsOnItsOwnRunLikeTheScriptWould() throws Exception {
        String[] run = holdingRun("own");
        Http process = primary.admin.as(run[1]);
        String base = "/api/v1/runs/" + run[0];
        assertThat(run[1]).startsWith("stw_run_" + run[0] + ".");

        assertThat(process.post(base + "/status", Map.of("name", "phase", "value", "building")).status()).isEqualTo(200);
        assertThat(process.post(base + "/progress", Map.of("fraction", 0.5, "message", "half")).status()).isEqualTo(200);
        assertThat(process.post(base + "/events", Map.of("name", "built", "data", Map.of("n", 1))).status()).isEqualTo(200);
        assertThat(put(process, base + "/shared/artifact", "{\"value\": \"app.tar.gz\"}").status()).isEqualTo(200);

        Map<String, Object> seen = process.get(base).json(); // a process may read its own run
        assertThat(TestPrimary.map(TestPrimary.map(seen.get("status")).get("values"))).containsEntry("phase", "building");
        assertThat(TestPrimary.map(TestPrimary.map(seen.get("status")).get("progress")))
                .containsEntry("fraction", 0.5).containsEntry("message", "half");
        assertThat(TestPrimary.map(seen.get("shared"))).containsEntry("artifact", "app.tar.gz");
        List<?> events = (List<?>) primary.admin.get(base + "/events").json().get("events");
        assertThat(events).anySatisfy(e -> assertThat(TestPrimary.map(e)).containsEntry("kind", "event")
                .containsEntry("data", Map.of("name", "built", "data", Map.of("n", 1))));
        primary.admin.post(base + "/messages", Map.of("message", "done"));
    }

    @Test
    void aRunTokenIsRefusedOnOtherRunsAndRoutesAndDiesWithItsRun() throws Exception {
        String[] mine = holdingRun("mine");
        String[] other = holdingRun("other");
        Http process = primary.admin.as(mine[1]);

        Http.Answer elsewhere = process.post("/api/v1/runs/" + other[0] + "/status", Map.of("name", "x", "value", 1));
        assertThat(elsewhere.status()).isEqualTo(403);
        assertThat(elsewhere.errorMessage()).contains("belongs to run " + mine[0]).contains("run " + other[0]);
        assertThat(process.get("/api/v1/runs/" + other[0]).status()).isEqualTo(403);
        assertThat(process.get("/api/v1/runs").status()).isEqualTo(403);
        assertThat(process.get("/api/v1/runs/" + mine[0] + "/events").status()).isEqualTo(403);
        assertThat(process.post("/api/v1/runs/" + mine[0] + "/cancel", Map.of()).status()).isEqualTo(403);
        Http.Answer push = process.post("/api/v1/scripts", Map.of("name", "x.groovy", "source", "1"));
        assertThat(push.status()).isEqualTo(403);
        assertThat(push.errorMessage()).contains("run token reaches only its own run");
        assertThat(process.post("/api/v1/runs", Map.of("script", "holds.groovy")).status()).isEqualTo(403);

        primary.admin.post("/api/v1/runs/" + mine[0] + "/messages", Map.of("message", "done"));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                "SUCCEEDED".equals(primary.admin.get("/api/v1/runs/" + mine[0]).json().get("state")));
        Http.Answer late = process.post("/api/v1/runs/" + mine[0] + "/status", Map.of("name", "x", "value", 1));
        assertThat(late.status()).isEqualTo(401);
        assertThat(late.errorMessage()).contains("only while the run");
        assertThat(process.get("/api/v1/runs/" + mine[0]).status()).isEqualTo(401);
        assertThat(primary.admin.as(mine[1] + "x").get("/api/v1/runs/" + other[0]).status()).isEqualTo(401);
        primary.admin.post("/api/v1/runs/" + other[0] + "/messages", Map.of("message", "done"));
    }

    @Test
    void operatorsReachAnyLiveRunViewersNone() throws Exception {
        String[] run = holdingRun("ops");
        String path = "/api/v1/runs/" + run[0] + "/status";
        assertThat(primary.withRole("operator").post(path, Map.of("name", "by", "value", "operator")).status()).isEqualTo(200);
        assertThat(primary.withRole("viewer").post(path, Map.of("name", "by", "value", "viewer")).status()).isEqualTo(403);
        assertThat(TestPrimary.map(TestPrimary.map(primary.admin.get("/api/v1/runs/" + run[0]).json().get("status"))
                .get("values"))).containsEntry("by", "operator");
        primary.admin.post("/api/v1/runs/" + run[0] + "/messages", Map.of("message", "done"));
    }

    @Test
    void badInputIsRefusedNamingTheProblemAndChangesNothing() throws Exception {
        String[] run = holdingRun("bad");
        Http process = primary.admin.as(run[1]);
        String base = "/api/v1/runs/" + run[0];
        long before = ((Number) primary.admin.get(base).json().get("lastSeq")).longValue();

        Http.Answer fraction = process.post(base + "/progress", Map.of("fraction", 1.5));
        assertThat(fraction.status()).isEqualTo(400);
        assertThat(fraction.errorMessage()).contains("fraction from 0 to 1").contains("1.5");
        assertThat(process.post(base + "/progress", Map.of("fraction", "half")).errorMessage()).contains("'fraction'");
        Http.Answer json = process.post(base + "/status", "{\"name\": \"x\", ");
        assertThat(json.status()).isEqualTo(400);
        assertThat(json.errorMessage()).contains("not valid JSON");
        Http.Answer big = process.post(base + "/status", Map.of("name", "log", "value", "x".repeat(70_000)));
        assertThat(big.status()).isEqualTo(400);
        assertThat(big.errorMessage()).contains("status value 'log'").contains("limit");
        assertThat(process.post(base + "/status", Map.of("name", "", "value", 1)).status()).isEqualTo(400);
        assertThat(process.post(base + "/events", Map.of("data", 1)).errorMessage()).contains("'name'");
        assertThat(put(process, base + "/shared/k", "{\"wrong\": 1}").errorMessage()).contains("unknown field 'wrong'");

        assertThat(((Number) primary.admin.get(base).json().get("lastSeq")).longValue()).isEqualTo(before);
        assertThat(primary.admin.post("/api/v1/runs/nope/status", Map.of("name", "x", "value", 1)).status()).isEqualTo(404);
        primary.admin.post(base + "/messages", Map.of("message", "done"));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                "SUCCEEDED".equals(primary.admin.get(base).json().get("state")));
        Http.Answer ended = primary.admin.post(base + "/status", Map.of("name", "x", "value", 1));
        assertThat(ended.status()).isEqualTo(409);
        assertThat(ended.errorMessage()).contains("has already ended as SUCCEEDED");
    }

    @Test
    void aChildRunStartedWithARunTokenHasTheRunAsParent() throws Exception {
        primary.push("child.groovy", "args.x");
        String[] run = holdingRun("parent");
        Http process = primary.admin.as(run[1]);
        Http.Answer child = process.post("/api/v1/runs/" + run[0] + "/children?wait=30s",
                Map.of("script", "child.groovy", "args", Map.of("x", 7)));
        assertThat(child.status()).isEqualTo(201);
        assertThat(child.json()).containsEntry("parent", run[0]).containsEntry("state", "SUCCEEDED")
                .containsEntry("result", 7).containsEntry("invoker", "run:" + run[0]);
        String childId = (String) child.json().get("id");
        assertThat((List<?>) primary.admin.get("/api/v1/runs/" + run[0]).json().get("children"))
                .anySatisfy(c -> assertThat(TestPrimary.map(c)).containsEntry("id", childId));
        assertThat(process.get("/api/v1/runs/" + childId).status()).isEqualTo(403);
        primary.admin.post("/api/v1/runs/" + run[0] + "/messages", Map.of("message", "done"));
    }
}
