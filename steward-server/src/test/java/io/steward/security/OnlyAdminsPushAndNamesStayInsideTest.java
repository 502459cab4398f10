package io.steward.security;

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

/**
 * Only admins push or delete scripts (pushing is running code, Jenkins CVE-2019-1003000); names that would climb
 * out of a folder, or name something else (Salt CVE-2020-11652, Jenkins CVE-2021-21686), are refused on every
 * script route and as node and token names, with a JSON error, and change nothing.
 */
class OnlyAdminsPushAndNamesStayInsideTest {
    static final List<String> BAD_NAMES = List.of("../evil.groovy", "a/../../evil.groovy", "..%2fevil.groovy",
            "%2e%2e/evil.groovy", "%2e%2e%2fevil.groovy", "/etc/evil.groovy", "evil.groovy%00.txt", "a\\..\\evil.groovy",
            "./evil.groovy", "a//evil.groovy", "C:/evil.groovy");

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

    @Test
    void anOperatorMayNotPushOrDeleteScripts() {
        Http operator = primary.withRole("operator");
        Http.Answer push = operator.post("/api/v1/scripts", Map.of("name", "x.groovy", "source", "'x'"));
        assertThat(push.status()).isEqualTo(403);
        assertThat(push.errorMessage()).contains("needs admin");
        assertThat(operator.delete("/api/v1/scripts/ok.groovy").status()).isEqualTo(403);
        assertScriptsAre("ok.groovy");
    }

    @Test
    void namesThatClimbOutAreRefusedEverywhere() {
        for (String bad : BAD_NAMES) {
            String decoded = java.net.URLDecoder.decode(bad.replace("\\", "%5C"), java.nio.charset.StandardCharsets.UTF_8);
            refused(primary.admin.post("/api/v1/scripts", Map.of("name", decoded, "source", "'x'")), "push " + bad);
            refused(primary.admin.post("/api/v1/runs", Map.of("script", decoded)), "invoke " + bad);
            refused(primary.admin.post("/api/v1/tokens", Map.of("name", decoded, "role", "viewer")), "token " + bad);
            String inUrl = bad.replace("\\", "%5C");
            refused(primary.admin.get("/api/v1/scripts/" + inUrl), "get " + bad);
            refused(primary.admin.delete("/api/v1/scripts/" + inUrl), "delete " + bad);
            refused(primary.admin.get("/api/v1/nodes/" + inUrl), "node " + bad);
        }
        // include of a climbing name fails the run's start with a clear error, not a read outside the store
        primary.push("includes.groovy", "include('../../etc/passwd.groovy')\n1");
        Http.Answer run = primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "includes.groovy"));
        assertThat(run.status()).as(run.body()).isLessThan(500);
        assertThat(run.body()).contains("..").doesNotContain("root:");
        assertScriptsAre("includes.groovy", "ok.groovy");
        assertThat(primary.admin.get("/api/v1/tokens").body()).doesNotContain("evil");
    }

    private static void refused(Http.Answer answer, String what) {
        assertThat(answer.status()).as(what + ": " + answer.body()).isBetween(400, 404);
        assertThat(answer.errorMessage()).as(what).isNotBlank();
        assertThat(answer.body()).as(what).doesNotContain("\tat ");
    }

    @SuppressWarnings("unchecked")
    private void assertScriptsAre(String... names) {
        List<Map<String, Object>> scripts = (List<Map<String, Object>>) primary.admin.get("/api/v1/scripts").json().get("scripts");
        assertThat(scripts).extracting(s -> s.get("name")).containsExactlyInAnyOrder((Object[]) names);
    }
}
