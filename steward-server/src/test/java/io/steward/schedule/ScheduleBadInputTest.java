package io.steward.schedule;

import io.steward.gateway.Http;
import io.steward.gateway.TestPrimary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every mistake in a new schedule is a clear 400/403/404/409 that names it, and nothing is stored or audited. */
class ScheduleBadInputTest {
    @TempDir
    Path dir;
    TestPrimary primary;

    @BeforeEach
    void setUp() {
        primary = new TestPrimary(dir);
        primary.push("job.groovy", "'ok'");
    }

    @AfterEach
    void tearDown() {
        primary.close();
    }

    private static Map<String, Object> schedule(String name, String cron, Object... more) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "cron", cron, "script", "job.groovy"));
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    private void refused(Object body, int status, String... words) {
        Http.Answer a = primary.admin.post("/api/v1/schedules", body);
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.errorMessage()).as(a.body()).contains(words);
        assertThat(a.body()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void badSchedulesAreRefusedWithTheReasonAndChangeNothing() {
        refused(schedule("feb30", "0 0 30 2 *"), 400, "never fires", "30 February");
        refused(schedule("past", "0 0 0 1 1 ? 2020"), 400, "never fires");
        refused(schedule("zone", "0 2 * * *", "timeZone", "Mars/Olympus_Mons"), 400, "unknown time zone 'Mars/Olympus_Mons'");
        refused(schedule("three", "* * *"), 400, "has 3 fields", "5 fields");
        refused(schedule("both", "* * * * * *"), 400, "not valid", "'?'");
        refused(schedule("minute", "61 * * * *"), 400, "not valid");
        refused(Map.of("name", "ghost", "cron", "0 2 * * *", "script", "ghost.groovy"), 404, "ghost.groovy");
        refused(Map.of("name", "trick", "cron", "0 2 * * *", "script", "../etc/passwd.groovy"), 400, "..");
        refused(schedule("../x", "0 2 * * *"), 400, "schedule name '../x' is not valid");
        refused(schedule("a/b", "0 2 * * *"), 400, "no '/'");
        refused(schedule("nul\u0000name", "0 2 * * *"), 400, "\\u0000");
        refused(schedule("", "0 2 * * *"), 400, "name is required");
        refused(schedule("reserved", "0 2 * * *", "args", Map.of("_schedule", 1)), 400, "'_schedule' is reserved");
        refused(schedule("hasty", "0 2 * * *", "grace", "10ms"), 400, "grace");
        refused(schedule("sel", "0 2 * * *", "on", "a b"), 400, "a b");
        refused(schedule("typed", "0 2 * * *", "args", "x=1"), 400, "'args' must be a JSON object");
        refused(schedule("extra", "0 2 * * *", "colour", "red"), 400, "unknown field 'colour'");
        refused("{not json", 400, "not valid JSON");
        assertThat((List<?>) primary.admin.get("/api/v1/schedules").json().get("schedules")).isEmpty();

        assertThat(primary.admin.post("/api/v1/schedules", schedule("nightly", "0 2 * * *", "timeZone", "Europe/Berlin"))
                .status()).isEqualTo(201);
        refused(schedule("nightly", "*/5 * * * *"), 409, "'nightly' already exists");
        List<?> schedules = (List<?>) primary.admin.get("/api/v1/schedules").json().get("schedules");
        assertThat(schedules).hasSize(1);
        assertThat(TestPrimary.map(schedules.getFirst())).containsEntry("cron", "0 2 * * *")
                .containsEntry("timeZone", "Europe/Berlin").containsEntry("graceMs", 60_000);
        List<?> audit = (List<?>) primary.admin.get("/api/v1/audit?limit=100").json().get("entries");
        assertThat(audit).filteredOn(e -> String.valueOf(TestPrimary.map(e).get("action")).startsWith("schedule"))
                .hasSize(1);
    }

    @Test
    void viewersReadButDoNotChangeSchedulesAndUnknownNamesAre404() {
        assertThat(primary.admin.post("/api/v1/schedules", schedule("nightly", "0 2 * * *")).status()).isEqualTo(201);
        Http viewer = primary.withRole("viewer");
        assertThat(viewer.get("/api/v1/schedules").status()).isEqualTo(200);
        assertThat(viewer.get("/api/v1/schedules/nightly").status()).isEqualTo(200);
        assertThat(viewer.post("/api/v1/schedules", schedule("mine", "0 2 * * *")).status()).isEqualTo(403);
        assertThat(viewer.post("/api/v1/schedules/nightly/pause", "{}").status()).isEqualTo(403);
        assertThat(viewer.delete("/api/v1/schedules/nightly").status()).isEqualTo(403);
        for (String path : new String[]{"/api/v1/schedules/nope", "/api/v1/schedules/nope/pause", "/api/v1/schedules/nope/resume"}) {
            Http.Answer a = path.endsWith("nope") ? primary.admin.get(path) : primary.admin.post(path, "{}");
            assertThat(a.status()).as(path).isEqualTo(404);
            assertThat(a.errorMessage()).contains("no schedule named 'nope'");
        }
        assertThat(TestPrimary.map(((List<?>) primary.admin.get("/api/v1/schedules").json().get("schedules")).getFirst()))
                .containsEntry("paused", false);
    }
}
