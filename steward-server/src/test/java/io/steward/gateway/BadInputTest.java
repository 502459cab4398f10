package io.steward.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every kind of bad request gets a clear JSON error naming what was wrong, and changes nothing. */
class BadInputTest {
    @TempDir
    Path dir;
    TestPrimary primary;

    @BeforeEach
    void setUp() {
        primary = new TestPrimary(dir);
        primary.push("ok.groovy", "'fine'");
    }

    @AfterEach
    void tearDown() {
        primary.close();
    }

    private void assertNothingChanged() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> scripts = (List<Map<String, Object>>) primary.admin.get("/api/v1/scripts").json().get("scripts");
        assertThat(scripts).extracting(s -> s.get("name")).containsExactly("ok.groovy");
        @SuppressWarnings("unchecked")
        List<Object> runs = (List<Object>) primary.admin.get("/api/v1/runs").json().get("runs");
        assertThat(runs).isEmpty();
    }

    private static void assertError(Http.Answer a, int status, String code, String... messageParts) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.errorCode()).isEqualTo(code);
        assertThat(a.errorMessage()).contains(messageParts);
        assertThat(a.body()).doesNotContain("at io.steward", "Exception:", "\tat ");
    }

    @Test
    void malformedJson() {
        assertError(primary.admin.post("/api/v1/runs", "{\"script\": "), 400, "bad_request", "not valid JSON");
        assertError(primary.admin.post("/api/v1/scripts", "[1,2]"), 400, "bad_request", "must be a JSON object");
        assertNothingChanged();
    }

    @Test
    void wrongTypesAndUnknownFields() {
        assertError(primary.admin.post("/api/v1/runs", Map.of("script", 42)), 400, "bad_request", "'script' must be a string");
        assertError(primary.admin.post("/api/v1/runs", Map.of("script", "ok.groovy", "args", List.of(1))), 400,
                "bad_request", "'args' must be a JSON object");
        assertError(primary.admin.post("/api/v1/runs", Map.of("script", "ok.groovy", "timeout", "soon")), 400,
                "bad_request", "'timeout' must be a duration");
        assertError(primary.admin.post("/api/v1/runs", Map.of("script", "ok.groovy", "colour", "red")), 400,
                "bad_request", "unknown field 'colour'");
        assertError(primary.admin.post("/api/v1/runs?wait=forever", Map.of("script", "ok.groovy")), 400,
                "bad_request", "wait must be a duration");
        assertError(primary.admin.get("/api/v1/runs?limit=lots"), 400, "bad_request", "limit must be a whole number");
        assertError(primary.admin.get("/api/v1/runs?state=HAPPY"), 400, "bad_request", "unknown state 'HAPPY'");
        assertNothingChanged();
    }

    @Test
    void unknownScriptRunAndEndpointAreNamed() {
        assertError(primary.admin.post("/api/v1/runs", Map.of("script", "nope.groovy")), 404, "not_found", "nope.groovy");
        assertError(primary.admin.get("/api/v1/runs/01NOPE"), 404, "not_found", "01NOPE");
        assertError(primary.admin.get("/api/v1/scripts/nope.groovy"), 404, "not_found", "nope.groovy");
        assertError(primary.admin.get("/api/v1/scripts/ok.groovy?version=7"), 404, "not_found", "no version 7");
        assertError(primary.admin.get("/api/v1/no-such-thing"), 404, "not_found", "no endpoint");
        assertNothingChanged();
    }

    @Test
    void aCompileErrorIsRefusedWithItsPlace() {
        primary.push("broken.groovy", "def x = (\n");
        Http.Answer a = primary.admin.post("/api/v1/runs", Map.of("script", "broken.groovy"));
        assertError(a, 400, "bad_request", "does not compile", "broken.groovy:");
        @SuppressWarnings("unchecked")
        Map<String, Object> details = (Map<String, Object>) ((Map<String, Object>) a.json().get("error")).get("details");
        assertThat(details).containsEntry("script", "broken.groovy").containsKeys("line", "column", "message");
    }

    @Test
    void anOversizedBodyIs413() {
        String big = "x".repeat(100 * 1024);
        assertError(primary.admin.post("/api/v1/scripts", Map.of("name", "big.groovy", "source", big)), 413,
                "payload_too_large", "limit");
        assertNothingChanged();
    }

    @Test
    void pathTricksInNamesAreRefused() {
        for (String name : List.of("../escape.groovy", "/etc/passwd.groovy", "a/../../b.groovy", "evil\n.groovy", "notes.txt")) {
            Http.Answer a = primary.admin.post("/api/v1/scripts", Map.of("name", name, "source", "1"));
            assertThat(a.status()).as(name).isEqualTo(400);
            assertThat(a.errorCode()).isEqualTo("bad_request");
        }
        assertError(primary.admin.post("/api/v1/runs", Map.of("script", "../ok.groovy")), 400, "bad_request", "..");
        assertNothingChanged();
    }

    @Test
    void missingWrongAndWeakTokens() {
        Http anonymous = primary.admin.as(null);
        assertError(anonymous.get("/api/v1/runs"), 401, "unauthorized", "needs a token");
        assertError(primary.admin.as("stw_wrong").get("/api/v1/runs"), 401, "unauthorized", "unknown or revoked");
        Http viewer = primary.withRole("viewer");
        assertThat(viewer.get("/api/v1/runs").status()).isEqualTo(200);
        assertError(viewer.post("/api/v1/runs", Map.of("script", "ok.groovy")), 403, "forbidden", "viewer", "operator");
        Http operator = primary.withRole("operator");
        assertError(operator.post("/api/v1/scripts", Map.of("name", "x.groovy", "source", "1")), 403, "forbidden", "admin");
        assertNothingChanged();
        assertThat(anonymous.get("/health").status()).isEqualTo(200);
    }
}
