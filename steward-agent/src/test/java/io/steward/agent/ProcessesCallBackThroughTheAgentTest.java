package io.steward.agent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A process of a run on an agent calls back to the agent's loopback endpoint with its run token; the callback
 * becomes an event of the run on the agent and goes to the primary over the link like every other event.
 */
class ProcessesCallBackThroughTheAgentTest {
    /** Writes the process's three variables to a file, then holds until the trigger file exists. */
    private static final String HOLD = """
            exec('printf "%s\\\\n%s\\\\n%s" "$STEWARD_SERVER" "$STEWARD_RUN_ID" "$STEWARD_TOKEN" > ' + args.file)
            while (exec(['test', '-e', args.release]).exitCode != 0) { sleep(20) }
            'released'
            """;

    @TempDir
    Path data;
    FakePrimary primary;
    Agent agent;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        primary = new FakePrimary().start();
        agent = Agent.start(AgentJoinsWithJoinTokenTest.config(primary, data));
        await().atMost(Duration.ofSeconds(10)).until(agent::connected);
    }

    @AfterEach
    void stop() {
        agent.close();
        primary.close();
        http.close();
    }

    /** Starts a holding run; answers its server, id and token as its process saw them. */
    private List<String> holdingRun(String id) throws Exception {
        Path file = data.resolve(id + ".env");
        primary.send(AgentRunsScriptsForThePrimaryTest.run(id, "hold.groovy", HOLD, Map.of(),
                Map.of("file", file.toString(), "release", data.resolve(id + ".release").toString())));
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(file) && Files.readAllLines(file).size() == 3);
        return Files.readAllLines(file);
    }

    private HttpResponse<String> call(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void callbacksOfAProcessBecomeEventsOfItsRunOnThePrimary() throws Exception {
        List<String> env = holdingRun("RUNA");
        assertThat(env.get(0)).startsWith("http://127.0.0.1:");
        assertThat(env.get(1)).isEqualTo("RUNA");
        String base = env.get(0) + "/api/v1/runs/RUNA";
        String token = env.get(2);

        assertThat(call("POST", base + "/status", token, "{\"name\": \"phase\", \"value\": \"building\"}").statusCode()).isEqualTo(200);
        assertThat(call("POST", base + "/progress", token, "{\"fraction\": 0.5, \"message\": \"half\"}").statusCode()).isEqualTo(200);
        assertThat(call("POST", base + "/events", token, "{\"name\": \"built\"}").statusCode()).isEqualTo(200);
        assertThat(call("PUT", base + "/shared/artifact", token, "{\"value\": \"app.tar.gz\"}").statusCode()).isEqualTo(200);
        assertThat(call("GET", base, token, null).body()).contains("\"phase\":\"building\"");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(primary.events("RUNA"))
                .anySatisfy(e -> assertThat(e).containsEntry("kind", "status")
                        .containsEntry("data", Map.of("name", "phase", "value", "building")))
                .anySatisfy(e -> assertThat(e).containsEntry("kind", "progress"))
                .anySatisfy(e -> assertThat(e).containsEntry("kind", "event"))
                .anySatisfy(e -> assertThat(e).containsEntry("kind", "shared")));
        Files.writeString(data.resolve("RUNA.release"), "");
    }

    @Test
    void theTokenActsOnItsOwnRunOnlyAndDiesWithIt() throws Exception {
        List<String> mine = holdingRun("MINE");
        List<String> other = holdingRun("OTHER");
        String server = mine.get(0);
        HttpResponse<String> elsewhere = call("POST", server + "/api/v1/runs/OTHER/status", mine.get(2),
                "{\"name\": \"x\", \"value\": 1}");
        assertThat(elsewhere.statusCode()).isEqualTo(403);
        assertThat(elsewhere.body()).contains("belongs to run MINE");
        assertThat(call("POST", server + "/api/v1/runs/MINE/status", "stw_wrong", "{}").statusCode()).isEqualTo(401);
        assertThat(call("POST", server + "/api/v1/runs/MINE/progress", mine.get(2), "{\"fraction\": 2}").body())
                .contains("fraction from 0 to 1");
        Files.writeString(data.resolve("MINE.release"), "");
        await().atMost(Duration.ofSeconds(20)).until(() -> primary.ended("MINE") != null);
        HttpResponse<String> late = call("POST", server + "/api/v1/runs/MINE/status", mine.get(2), "{\"name\": \"x\", \"value\": 1}");
        assertThat(late.statusCode()).isEqualTo(401);
        assertThat(late.body()).contains("only while the run");
        assertThat(call("POST", server + "/api/v1/runs/OTHER/status", other.get(2), "{\"name\": \"x\", \"value\": 1}")
                .statusCode()).isEqualTo(200);
        Files.writeString(data.resolve("OTHER.release"), "");
    }

    @Test
    void aChildRunRequestGoesToThePrimaryOverTheLinkAndIsRefusedWhileTheLinkIsDown() throws Exception {
        List<String> env = holdingRun("PARENT");
        String url = env.get(0) + "/api/v1/runs/PARENT/children?wait=30s";
        var answer = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return call("POST", url, env.get(2), "{\"script\": \"child.groovy\", \"args\": {\"x\": 1}, \"timeout\": \"1m\"}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> !primary.frames("child").isEmpty());
        Map<String, Object> asked = primary.frames("child").getFirst();
        assertThat(asked).containsEntry("parent", "PARENT").containsEntry("script", "child.groovy")
                .containsEntry("args", Map.of("x", 1)).containsEntry("timeoutMs", 60_000).containsEntry("waitMs", 30_000);
        primary.send(Map.of("type", "child-started", "requestId", asked.get("requestId"),
                "run", Map.of("id", "CHILD1", "parent", "PARENT", "state", "SUCCEEDED")));
        HttpResponse<String> started = answer.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(started.statusCode()).isEqualTo(201);
        assertThat(started.body()).contains("\"id\":\"CHILD1\"").contains("\"parent\":\"PARENT\"");

        var refused = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return call("POST", url, env.get(2), "{\"script\": \"missing.groovy\"}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> primary.frames("child").size() == 2);
        primary.send(Map.of("type", "child-refused", "requestId", primary.frames("child").get(1).get("requestId"),
                "status", 404, "message", "no script 'missing.groovy'"));
        assertThat(refused.get(10, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(404);

        primary.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> !agent.connected());
        HttpResponse<String> down = call("POST", url, env.get(2), "{\"script\": \"child.groovy\"}");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("link to the primary is down");
        assertThat(call("POST", env.get(0) + "/api/v1/runs/PARENT/status", env.get(2),
                "{\"name\": \"still\", \"value\": \"works\"}").statusCode()).isEqualTo(200);
        Files.writeString(data.resolve("PARENT.release"), "");
    }
}
