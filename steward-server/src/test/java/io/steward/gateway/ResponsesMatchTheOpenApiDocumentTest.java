package io.steward.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a live primary answers matches what its OpenAPI document says: for representative calls of every kind of
 * route, the status is one the operation documents, and the body matches that status's schema, with no property the
 * schema does not declare ({@link SchemaCheck}). A field added to a response without its record, or a status a
 * route answers undocumented, fails here.
 */
class ResponsesMatchTheOpenApiDocumentTest {
    @TempDir
    Path dir;
    private TestPrimary primary;
    private Map<String, Object> document;
    private SchemaCheck check;

    @BeforeEach
    void start() {
        primary = new TestPrimary(dir);
        document = primary.admin.get("/api/v1/openapi.json").json();
        check = new SchemaCheck(document);
    }

    @AfterEach
    void stop() {
        primary.close();
    }

    @Test
    void serverNodesTokensAndAudit() {
        Http viewer = primary.withRole("viewer");
        matches("get", "/health", new Http(serverUrl(), null).get("/health"), 200);
        matches("get", "/api/v1/server", viewer.get("/api/v1/server"), 200);
        Http.Answer nodes = matches("get", "/api/v1/nodes", viewer.get("/api/v1/nodes"), 200);
        String primaryName = (String) TestPrimary.map(((List<?>) nodes.json().get("nodes")).getFirst()).get("name");
        matches("get", "/api/v1/nodes/{name}", viewer.get("/api/v1/nodes/" + primaryName), 200);
        matches("get", "/api/v1/nodes/{name}", viewer.get("/api/v1/nodes/nowhere"), 404);
        matches("post", "/api/v1/nodes/{name}/approve", primary.admin.post("/api/v1/nodes/" + primaryName + "/approve", "{}"), 409);
        matches("get", "/api/v1/whoami", viewer.get("/api/v1/whoami"), 200);
        matches("post", "/api/v1/tokens", primary.admin.post("/api/v1/tokens", Map.of("name", "ci", "role", "operator")), 201);
        matches("post", "/api/v1/tokens", primary.admin.post("/api/v1/tokens", Map.of("name", "ci", "role", "operator")), 409);
        matches("post", "/api/v1/tokens", primary.admin.post("/api/v1/tokens", Map.of("name", "x", "colour", "red")), 400);
        matches("get", "/api/v1/tokens", viewer.get("/api/v1/tokens"), 403);
        matches("get", "/api/v1/tokens", primary.admin.get("/api/v1/tokens"), 200);
        matches("delete", "/api/v1/tokens/{name}", primary.admin.delete("/api/v1/tokens/ci"), 200);
        matches("delete", "/api/v1/tokens/{name}", primary.admin.delete("/api/v1/tokens/ci"), 404);
        matches("get", "/api/v1/audit", primary.admin.get("/api/v1/audit?limit=5"), 200);
        matches("get", "/api/v1/audit", primary.admin.get("/api/v1/audit?limit=zero"), 400);
        matches("get", "/api/v1/server", new Http(serverUrl(), "not-a-token").get("/api/v1/server"), 401);
    }

    @Test
    void coordination() {
        Http viewer = primary.withRole("viewer");
        matches("put", "/api/v1/vars/{scope}/{name}", primary.admin.put("/api/v1/vars/global/v", Map.of("value", List.of(1, "a"), "ttl", "1h")), 200);
        matches("put", "/api/v1/vars/{scope}/{name}", primary.admin.put("/api/v1/vars/global/v", Map.of("value", 2, "ifVersion", 7)), 409);
        matches("put", "/api/v1/vars/{scope}/{name}", viewer.put("/api/v1/vars/global/v", Map.of("value", 2)), 403);
        matches("get", "/api/v1/vars/{scope}/{name}", viewer.get("/api/v1/vars/global/v"), 200);
        matches("get", "/api/v1/vars/{scope}/{name}", viewer.get("/api/v1/vars/global/none"), 404);
        matches("get", "/api/v1/vars", viewer.get("/api/v1/vars?scope=global"), 200);
        matches("delete", "/api/v1/vars/{scope}/{name}", primary.admin.delete("/api/v1/vars/global/v"), 200);
        matches("post", "/api/v1/events/{name}", primary.admin.post("/api/v1/events/go", Map.of("action", "post")), 200);
        matches("get", "/api/v1/locks", viewer.get("/api/v1/locks"), 200);
        matches("post", "/api/v1/queues/{name}/messages", primary.admin.post("/api/v1/queues/q/messages", Map.of("message", Map.of("a", 1))), 201);
        matches("get", "/api/v1/queues", viewer.get("/api/v1/queues"), 200);
        matches("post", "/api/v1/queues/{name}/take", primary.admin.post("/api/v1/queues/q/take?wait=1s", Map.of()), 200);
        matches("post", "/api/v1/queues/{name}/take", primary.admin.post("/api/v1/queues/q/take", Map.of()), 200);
        matches("put", "/api/v1/pools/{name}/entries/{entry}", primary.admin.put("/api/v1/pools/lab/entries/m1", Map.of("value", Map.of("cpu", 4))), 200);
        matches("put", "/api/v1/pools/{name}/entries/{entry}", primary.admin.put("/api/v1/pools/lab/entries/m2", Map.of()), 200);
        matches("get", "/api/v1/pools/{name}", viewer.get("/api/v1/pools/lab"), 200);
        matches("get", "/api/v1/pools", viewer.get("/api/v1/pools"), 200);
        matches("get", "/api/v1/coordination", viewer.get("/api/v1/coordination"), 200);
        matches("delete", "/api/v1/pools/{name}/entries/{entry}", primary.admin.delete("/api/v1/pools/lab/entries/m1"), 200);
        matches("delete", "/api/v1/pools/{name}/entries/{entry}", primary.admin.delete("/api/v1/pools/lab/entries/m1"), 404);
        matches("get", "/api/v1/pools/{name}", viewer.get("/api/v1/pools/nosuch"), 404);
    }

    @Test
    void scripts() {
        matches("post", "/api/v1/scripts", primary.admin.post("/api/v1/scripts",
                Map.of("name", "ops/hello.groovy", "source", "return [greeting: 'hi ' + args.who]")), 201);
        matches("post", "/api/v1/scripts", primary.admin.post("/api/v1/scripts",
                Map.of("name", "ops/hello.groovy", "source", "return [greeting: 'hi ' + args.who]")), 200);
        matches("post", "/api/v1/scripts", primary.admin.post("/api/v1/scripts",
                Map.of("name", "nosource.groovy")), 400);
        matches("post", "/api/v1/scripts", primary.admin.post("/api/v1/scripts",
                Map.of("name", "_launcher.groovy", "source", "throw new RuntimeException('no')")), 201);
        matches("get", "/api/v1/scripts", primary.admin.get("/api/v1/scripts"), 200);
        matches("get", "/api/v1/scripts/{name}", primary.admin.get("/api/v1/scripts/ops/hello.groovy"), 200);
        matches("get", "/api/v1/scripts/{name}", primary.admin.get("/api/v1/scripts/ops/hello.groovy?version=7"), 404);
        matches("get", "/api/v1/scripts/{name}/history", primary.admin.get("/api/v1/scripts/ops/hello.groovy/history"), 200);
        matches("delete", "/api/v1/scripts/{name}", primary.admin.delete("/api/v1/scripts/ops/hello.groovy"), 200);
        matches("get", "/api/v1/scripts/{name}", primary.admin.get("/api/v1/scripts/ops/hello.groovy?version=1"), 200);
        matches("get", "/api/v1/server", primary.admin.get("/api/v1/server"), 200); // with the launcher's error
    }

    @Test
    void runsTheirEventsAndCallbacks() {
        primary.push("hello.groovy", "status.set('phase', 'greeting'); status.progress(0.5, 'half'); "
                + "shared.put('who', args.who); return [greeting: 'hi ' + args.who]");
        primary.push("fails.groovy", "throw new IllegalStateException('no')");
        primary.push("waits.groovy", "shared.put('waiting', true); inbox.take(30_000)");

        Http.Answer done = matches("post", "/api/v1/runs", primary.admin.post("/api/v1/runs?wait=30s",
                Map.of("script", "hello.groovy", "args", Map.of("who", "you"))), 201);
        String id = (String) done.json().get("id");
        matches("post", "/api/v1/runs", primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "fails.groovy")), 201);
        matches("post", "/api/v1/runs", primary.admin.post("/api/v1/runs", Map.of("script", "nothing.groovy")), 404);
        matches("post", "/api/v1/runs", primary.admin.post("/api/v1/runs?wait=forever", Map.of("script", "hello.groovy")), 400);
        matches("get", "/api/v1/runs/{id}", primary.admin.get("/api/v1/runs/" + id), 200);
        matches("get", "/api/v1/runs/{id}", primary.admin.get("/api/v1/runs/nope"), 404);
        matches("get", "/api/v1/runs", primary.admin.get("/api/v1/runs?limit=1"), 200);
        matches("get", "/api/v1/runs", primary.admin.get("/api/v1/runs?state=sleepy"), 400);
        matches("get", "/api/v1/runs/{id}/events", primary.admin.get("/api/v1/runs/" + id + "/events?after=0"), 200);
        matches("post", "/api/v1/runs/{id}/cancel", primary.admin.post("/api/v1/runs/" + id + "/cancel", "{}"), 409);
        matches("post", "/api/v1/runs/{id}/messages", primary.admin.post("/api/v1/runs/" + id + "/messages",
                Map.of("message", 1)), 409);
        Http.Answer output = primary.admin.get("/api/v1/runs/" + id + "/output");
        assertThat(output.status()).isEqualTo(200);
        assertThat(output.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));

        String live = (String) primary.admin.post("/api/v1/runs", Map.of("script", "waits.groovy")).json().get("id");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                TestPrimary.map(primary.admin.get("/api/v1/runs/" + live).json().get("shared")).containsKey("waiting"));
        matches("get", "/api/v1/runs/{id}", primary.admin.get("/api/v1/runs/" + live), 200); // with a live thread
        String base = "/api/v1/runs/" + live;
        matches("post", "/api/v1/runs/{id}/status", primary.admin.post(base + "/status", Map.of("name", "k", "value", 2)), 200);
        matches("post", "/api/v1/runs/{id}/events", primary.admin.post(base + "/events", Map.of("name", "e")), 200);
        matches("post", "/api/v1/runs/{id}/progress", primary.admin.post(base + "/progress", Map.of("fraction", 0.25)), 200);
        matches("post", "/api/v1/runs/{id}/progress", primary.admin.post(base + "/progress", Map.of("fraction", "most")), 400);
        matches("put", "/api/v1/runs/{id}/shared/{key}", primary.admin.send(primary.admin.request(base + "/shared/k")
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"value\": [1]}"))), 200);
        matches("post", "/api/v1/runs/{id}/children", primary.admin.post(base + "/children?wait=30s",
                Map.of("script", "hello.groovy", "args", Map.of("who", "child"))), 201);
        matches("post", "/api/v1/runs/{id}/messages", primary.admin.post(base + "/messages", Map.of("message", "go")), 202);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                !primary.admin.get(base).json().get("state").equals("RUNNING"));
        matches("get", "/api/v1/runs/{id}", primary.admin.get(base), 200);
        matches("get", "/api/v1/runs/{id}/events", primary.admin.get(base + "/events"), 200);
    }

    @Test
    void schedules() {
        primary.push("job.groovy", "'ok'");
        Http viewer = primary.withRole("viewer");
        matches("post", "/api/v1/schedules", primary.admin.post("/api/v1/schedules",
                Map.of("name", "nightly", "cron", "0 2 * * *", "script", "job.groovy", "on", "all")), 201);
        matches("post", "/api/v1/schedules", primary.admin.post("/api/v1/schedules",
                Map.of("name", "nightly", "cron", "0 2 * * *", "script", "job.groovy")), 409);
        matches("post", "/api/v1/schedules", primary.admin.post("/api/v1/schedules",
                Map.of("name", "feb30", "cron", "0 0 30 2 *", "script", "job.groovy")), 400);
        matches("post", "/api/v1/schedules", primary.admin.post("/api/v1/schedules",
                Map.of("name", "ghost", "cron", "0 2 * * *", "script", "ghost.groovy")), 404);
        matches("post", "/api/v1/schedules", viewer.post("/api/v1/schedules",
                Map.of("name", "mine", "cron", "0 2 * * *", "script", "job.groovy")), 403);
        matches("get", "/api/v1/schedules", viewer.get("/api/v1/schedules"), 200);
        matches("get", "/api/v1/schedules/{name}", viewer.get("/api/v1/schedules/nightly"), 200);
        matches("get", "/api/v1/schedules/{name}", viewer.get("/api/v1/schedules/nope"), 404);
        matches("post", "/api/v1/schedules/{name}/pause", primary.admin.post("/api/v1/schedules/nightly/pause", "{}"), 200);
        matches("post", "/api/v1/schedules/{name}/resume", primary.admin.post("/api/v1/schedules/nightly/resume", "{}"), 200);
        matches("post", "/api/v1/schedules/{name}/resume", primary.admin.post("/api/v1/schedules/nope/resume", "{}"), 404);
        matches("delete", "/api/v1/schedules/{name}", primary.admin.delete("/api/v1/schedules/nightly"), 200);
        matches("delete", "/api/v1/schedules/{name}", primary.admin.delete("/api/v1/schedules/nightly"), 404);
    }

    private String serverUrl() {
        return primary.server.url();
    }

    @Test
    void retriesPoliciesAndNotifications() {
        primary.push("flaky.groovy", "if (args.retry.attempt < 2) { throw new RuntimeException('again') }; 'ok'");
        primary.push("busy.groovy", "sleep(30_000)");
        Http.Answer waited = matches("post", "/api/v1/runs", primary.admin.post("/api/v1/runs?wait=30s",
                Map.of("script", "flaky.groovy", "retry", Map.of("attempts", 2, "backoff", "10ms"))), 201);
        String first = waited.headers().firstValue("Location").orElseThrow().replace("/api/v1/runs/", "");
        matches("get", "/api/v1/runs/{id}", primary.admin.get("/api/v1/runs/" + waited.json().get("id")), 200);
        matches("get", "/api/v1/runs/{id}/retries", primary.admin.get("/api/v1/runs/" + first + "/retries"), 200);
        matches("post", "/api/v1/runs", primary.admin.post("/api/v1/runs",
                Map.of("script", "flaky.groovy", "retry", Map.of("attempts", 0))), 400);

        String path = "/api/v1/scripts/{name}/policy";
        matches("get", path, primary.admin.get("/api/v1/scripts/busy.groovy/policy"), 200);
        matches("get", path, primary.admin.get("/api/v1/scripts/nope.groovy/policy"), 404);
        matches("put", path, put("/api/v1/scripts/busy.groovy/policy", Map.of("maxConcurrent", 1, "whenBusy", "reject",
                "retry", Map.of("attempts", 2))), 200);
        matches("put", path, put("/api/v1/scripts/busy.groovy/policy", Map.of("maxConcurrent", 0)), 400);
        matches("put", path, put("/api/v1/scripts/nope.groovy/policy", Map.of("maxConcurrent", 1)), 404);
        matches("post", "/api/v1/runs", primary.admin.post("/api/v1/runs", Map.of("script", "busy.groovy")), 201);
        matches("post", "/api/v1/runs", primary.admin.post("/api/v1/runs", Map.of("script", "busy.groovy")), 429);
        matches("delete", path, primary.admin.delete("/api/v1/scripts/busy.groovy/policy"), 200);
        matches("delete", path, primary.admin.delete("/api/v1/scripts/nope.groovy/policy"), 404);

        matches("post", "/api/v1/notifications", primary.admin.post("/api/v1/notifications", Map.of("name", "ops",
                "states", List.of("FAILED"), "webhook", "http://127.0.0.1:9/hook")), 201);
        matches("post", "/api/v1/notifications", primary.admin.post("/api/v1/notifications", Map.of("name", "ops",
                "states", List.of("FAILED"), "webhook", "http://127.0.0.1:9/hook")), 409);
        matches("post", "/api/v1/notifications", primary.admin.post("/api/v1/notifications", Map.of("name", "x",
                "states", List.of("FAILED"), "webhook", "ftp://127.0.0.1/hook")), 400);
        matches("post", "/api/v1/notifications", primary.admin.post("/api/v1/notifications", Map.of("name", "x",
                "states", List.of("FAILED"), "runScript", "nope.groovy")), 404);
        matches("get", "/api/v1/notifications", primary.admin.get("/api/v1/notifications"), 200);
        matches("get", "/api/v1/notifications/{name}", primary.admin.get("/api/v1/notifications/ops"), 200);
        matches("get", "/api/v1/notifications/{name}", primary.admin.get("/api/v1/notifications/nope"), 404);
        matches("delete", "/api/v1/notifications/{name}", primary.admin.delete("/api/v1/notifications/ops"), 200);
        matches("delete", "/api/v1/notifications/{name}", primary.admin.delete("/api/v1/notifications/ops"), 404);
    }

    private Http.Answer put(String path, Object body) {
        try {
            return primary.admin.send(primary.admin.request(path).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(body))));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Asserts the answer has the expected status, documented for the operation, and a body its schema accepts. */
    @SuppressWarnings("unchecked")
    private Http.Answer matches(String method, String path, Http.Answer answer, int status) {
        String where = method.toUpperCase() + " " + path + " answered " + answer.status() + ": " + answer.body();
        assertThat(answer.status()).as(where).isEqualTo(status);
        Map<String, Object> operation = TestPrimary.map(TestPrimary.map(TestPrimary.map(document.get("paths")).get(path)).get(method));
        assertThat(operation).as("the document has " + method + " " + path).isNotNull();
        Map<String, Object> response = TestPrimary.map(TestPrimary.map(operation.get("responses")).get(Integer.toString(status)));
        assertThat(response).as("the document lists " + status + " for " + method + " " + path).isNotNull();
        Map<String, Object> content = TestPrimary.map(response.get("content"));
        Map<String, Object> schema = TestPrimary.map(TestPrimary.map(content.get("application/json")).get("schema"));
        assertThat(check.problems(answer.json(), schema)).as(where).isEmpty();
        return answer;
    }
}
