package io.steward.policy;

import io.steward.gateway.Http;
import io.steward.gateway.TestPrimary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad retries, policies and notifications get a clear 4xx that names the mistake, and nothing is stored or run. */
class BadPolicyInputTest {
    @TempDir
    Path dir;
    TestPrimary primary;

    @BeforeEach
    void start() {
        primary = new TestPrimary(dir);
        primary.push("job.groovy", "'ok'");
    }

    @AfterEach
    void stop() {
        primary.close();
    }

    private void refusedInvoke(Map<String, Object> retry, String message) {
        Http.Answer a = primary.admin.post("/api/v1/runs", Map.of("script", "job.groovy", "retry", retry));
        assertThat(a.status()).as(a.body()).isEqualTo(400);
        assertThat(a.errorMessage()).contains(message);
        assertThat(a.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void badRetriesOnAnInvokeAreRefusedAndNoRunExists() {
        refusedInvoke(Map.of("attempts", 0), "retry.attempts must be from 1 to 100");
        refusedInvoke(Map.of("attempts", -3), "retry.attempts must be from 1 to 100");
        refusedInvoke(Map.of("backoff", "2s"), "retry.attempts is required");
        refusedInvoke(Map.of("attempts", 3, "backoff", "-2s"), "retry.backoff must be 0 or more");
        refusedInvoke(Map.of("attempts", 3, "backoff", -2000), "retry.backoff must be 0 or more");
        refusedInvoke(Map.of("attempts", 3, "backoff", "soon"), "retry.backoff must be a duration");
        refusedInvoke(Map.of("attempts", 3, "factor", 0.5), "factor");
        refusedInvoke(Map.of("attempts", 3, "tries", 2), "unknown field 'retry.tries'");
        Http.Answer reserved = primary.admin.post("/api/v1/runs", Map.of("script", "job.groovy",
                "args", Map.of("retry", 1), "retry", Map.of("attempts", 2)));
        assertThat(reserved.status()).isEqualTo(400);
        assertThat(reserved.errorMessage()).contains("args.retry");
        Http.Answer unknown = primary.admin.post("/api/v1/runs", Map.of("script", "nope.groovy", "retry", Map.of("attempts", 2)));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(Api.list(primary.admin.get("/api/v1/runs"), "runs")).isEmpty();
    }

    @Test
    void badPoliciesAreRefusedAndNothingIsStored() {
        Http.Answer unknown = Api.put(primary.admin, "/api/v1/scripts/nope.groovy/policy", Map.of("maxConcurrent", 2));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorMessage()).contains("nope.groovy");
        assertThat(primary.admin.get("/api/v1/scripts/nope.groovy/policy").status()).isEqualTo(404);

        for (var body : List.<Map<String, Object>>of(Map.of("maxConcurrent", 0), Map.of("maxConcurrent", -1),
                Map.of("maxConcurrent", "two"), Map.of("whenBusy", "later"), Map.of("retry", Map.of("attempts", 0)),
                Map.of("retry", Map.of("attempts", 2, "backoff", "-1s")), Map.of("colour", "red"))) {
            Http.Answer a = Api.put(primary.admin, "/api/v1/scripts/job.groovy/policy", body);
            assertThat(a.status()).as(body + ": " + a.body()).isEqualTo(400);
            assertThat(a.errorMessage()).as(body.toString()).isNotBlank();
        }
        Map<String, Object> policy = primary.admin.get("/api/v1/scripts/job.groovy/policy").json();
        assertThat(policy).containsEntry("maxConcurrent", null).containsEntry("retry", null).containsEntry("updatedBy", null);
        assertThat(Api.put(primary.withRole("operator"), "/api/v1/scripts/job.groovy/policy", Map.of("maxConcurrent", 1))
                .status()).isEqualTo(403);
    }

    @Test
    void badNotificationsAreRefusedAndNothingIsStored() {
        Map<String, Object> ok = Map.of("name", "n", "states", List.of("FAILED"), "webhook", "http://127.0.0.1:9/x");
        expect(with(ok, "webhook", "ftp://127.0.0.1/x"), 400, "must be an http:// or https:// URL");
        expect(with(ok, "webhook", "file:///etc/passwd"), 400, "http://");
        expect(with(ok, "states", List.of("FAILED", "EXPLODED")), 400, "unknown state 'EXPLODED'");
        expect(with(ok, "states", List.of("RUNNING")), 400, "not a final state");
        expect(with(ok, "states", List.of()), 400, "states");
        expect(with(ok, "name", "../n"), 400, "not valid");
        expect(with(ok, "script", "nope.groovy"), 404, "nope.groovy");
        expect(Map.of("name", "n", "states", List.of("FAILED"), "runScript", "nope.groovy"), 404, "nope.groovy");
        expect(Map.of("name", "n", "states", List.of("FAILED")), 400, "exactly one of webhook");
        assertThat(Api.list(primary.admin.get("/api/v1/notifications"), "notifications")).isEmpty();
        assertThat(primary.admin.get("/api/v1/notifications/n").status()).isEqualTo(404);
    }

    private void expect(Map<String, Object> body, int status, String message) {
        Http.Answer a = primary.admin.post("/api/v1/notifications", body);
        assertThat(a.status()).as(body + ": " + a.body()).isEqualTo(status);
        assertThat(a.errorMessage()).contains(message);
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(base);
        copy.put(key, value);
        return copy;
    }
}
