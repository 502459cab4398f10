package io.steward.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tokens limited to a script pattern, tokens that expire, and when a token was last used, against a real primary
 * over real HTTP (docs/api.md, "Tokens").
 */
class ScopedTokensOverHttpTest {
    @TempDir
    Path dir;
    TestPrimary primary;

    @BeforeEach
    void setUp() {
        primary = new TestPrimary(dir);
        primary.push("deploy/x.groovy", "'x'");
        primary.push("deploy/eu/z.groovy", "'z'");
        primary.push("other/y.groovy", "'y'");
    }

    @AfterEach
    void tearDown() {
        primary.close();
    }

    private Http create(Map<String, Object> body) {
        Http.Answer created = primary.admin.post("/api/v1/tokens", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return primary.admin.as((String) created.json().get("token"));
    }

    private String invoke(Http client, String script) {
        Http.Answer a = client.post("/api/v1/runs?wait=30s", Map.of("script", script));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        return (String) a.json().get("id");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Http.Answer answer, String field) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return (List<Map<String, Object>>) answer.json().get(field);
    }

    @Test
    void aScriptScopedTokenUsesItsScriptsAndIsRefusedTheRestNamingItsScope() {
        Http deployer = create(Map.of("name", "deployer", "role", "operator", "scripts", "deploy/*"));
        String mine = invoke(deployer, "deploy/x.groovy");
        String theirs = invoke(primary.admin, "other/y.groovy");
        String deeper = invoke(primary.admin, "deploy/eu/z.groovy");

        Http.Answer refused = deployer.post("/api/v1/runs", Map.of("script", "other/y.groovy"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errorMessage()).contains("deployer", "deploy/*", "other/y.groovy");
        assertThat(deployer.post("/api/v1/runs", Map.of("script", "deploy/eu/z.groovy")).status())
                .as("* stays within one folder").isEqualTo(403);

        // Lists show only what is in scope; everything else about those runs is a 403.
        assertThat(list(deployer.get("/api/v1/runs"), "runs")).extracting(r -> r.get("id")).containsExactly(mine);
        assertThat(list(primary.admin.get("/api/v1/runs"), "runs")).extracting(r -> r.get("id"))
                .contains(mine, theirs, deeper);
        assertThat(list(deployer.get("/api/v1/scripts"), "scripts")).extracting(s -> s.get("name"))
                .containsExactly("deploy/x.groovy");
        assertThat(deployer.get("/api/v1/runs/" + mine).status()).isEqualTo(200);
        assertThat(deployer.get("/api/v1/runs/" + mine + "/events").status()).isEqualTo(200);
        for (String path : List.of("/api/v1/runs/" + theirs, "/api/v1/runs/" + theirs + "/events",
                "/api/v1/runs/" + theirs + "/output", "/api/v1/scripts/other/y.groovy",
                "/api/v1/scripts/other/y.groovy/history")) {
            Http.Answer a = deployer.get(path);
            assertThat(a.status()).as(path).isEqualTo(403);
            assertThat(a.errorMessage()).as(path).contains("deploy/*");
        }
        assertThat(deployer.post("/api/v1/runs/" + theirs + "/cancel", Map.of()).status()).isEqualTo(403);
        assertThat(deployer.post("/api/v1/runs/" + theirs + "/messages", Map.of("message", 1)).status()).isEqualTo(403);
        assertThat(deployer.post("/api/v1/schedules", Map.of("name", "s", "cron", "0 * * * *",
                "script", "deploy/x.groovy")).status()).as("schedules need an unscoped token").isEqualTo(403);

        // ** crosses folders.
        Http wide = create(Map.of("name", "wide", "role", "viewer", "scripts", "deploy/**"));
        assertThat(list(wide.get("/api/v1/runs"), "runs")).extracting(r -> r.get("id")).containsExactlyInAnyOrder(mine, deeper);
    }

    @Test
    void aScopedAdminMayPushItsScriptsButOnlyAnUnscopedAdminManagesTokens() {
        Http scopedAdmin = create(Map.of("name", "deploy-admin", "role", "admin", "scripts", "deploy/*"));
        assertThat(scopedAdmin.post("/api/v1/scripts", Map.of("name", "deploy/new.groovy", "source", "1")).status())
                .isEqualTo(201);
        Http.Answer push = scopedAdmin.post("/api/v1/scripts", Map.of("name", "other/new.groovy", "source", "1"));
        assertThat(push.status()).isEqualTo(403);
        assertThat(primary.admin.get("/api/v1/scripts/other/new.groovy").status()).isEqualTo(404);
        assertThat(scopedAdmin.delete("/api/v1/scripts/other/y.groovy").status()).isEqualTo(403);

        for (Http.Answer a : List.of(scopedAdmin.get("/api/v1/tokens"), scopedAdmin.delete("/api/v1/tokens/deploy-admin"),
                scopedAdmin.post("/api/v1/tokens", Map.of("name", "escape", "role", "admin")),
                scopedAdmin.get("/api/v1/audit"))) {
            assertThat(a.status()).isEqualTo(403);
            assertThat(a.errorMessage()).contains("scoped", "unscoped token");
        }
        assertThat(list(primary.admin.get("/api/v1/tokens"), "tokens")).extracting(t -> t.get("name"))
                .contains("deploy-admin").doesNotContain("escape");
    }

    @Test
    void theTokenListShowsScopeExpiryAndLastUseAndBadFieldsAreRefusedByName() {
        create(Map.of("name", "lab", "role", "operator", "scripts", "deploy/*", "nodes", "env=lab", "expiresIn", "7d"));
        Map<String, Object> lab = list(primary.admin.get("/api/v1/tokens"), "tokens").stream()
                .filter(t -> t.get("name").equals("lab")).findFirst().orElseThrow();
        assertThat(lab).containsEntry("scripts", "deploy/*").containsEntry("nodes", "env=lab")
                .containsEntry("lastUsedAt", null).containsKey("createdAt");
        Instant expires = Instant.parse((String) lab.get("expiresAt"));
        assertThat(expires).isBetween(Instant.now().plus(Duration.ofDays(6)), Instant.now().plus(Duration.ofDays(7)));

        Map<String, Map<String, Object>> bad = Map.of(
                "scripts", Map.of("scripts", "deploy/[x"),
                "nodes", Map.of("nodes", "web,,db"),
                "expires", Map.of("expires", "soon"),
                "expiresIn", Map.of("expiresIn", "-5m"));
        bad.forEach((field, extra) -> {
            Map<String, Object> body = new java.util.HashMap<>(extra);
            body.put("name", "bad-" + field);
            body.put("role", "viewer");
            Http.Answer a = primary.admin.post("/api/v1/tokens", body);
            assertThat(a.status()).as(field + ": " + a.body()).isEqualTo(400);
            assertThat(a.errorMessage()).as(field).startsWith(field);
        });
        Http.Answer past = primary.admin.post("/api/v1/tokens", Map.of("name", "bad-past", "role", "viewer",
                "expires", "2020-01-01T00:00:00Z"));
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.errorMessage()).contains("expires", "future");
        assertThat(list(primary.admin.get("/api/v1/tokens"), "tokens")).extracting(t -> (String) t.get("name"))
                .noneMatch(n -> n.startsWith("bad-"));
    }

    @Test
    void anExpiredTokenIsRefusedWith401NamingItsExpiry() {
        Instant at = Instant.now().plusSeconds(1);
        Http brief = create(Map.of("name", "brief", "role", "viewer", "expires", at.toString()));
        assertThat(brief.get("/api/v1/runs").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> brief.get("/api/v1/runs").status() == 401);
        Http.Answer refused = brief.get("/api/v1/runs");
        assertThat(refused.errorMessage()).contains("'brief' expired at", "steward token create");
        assertThat(refused.body()).doesNotContain("Exception");
    }

    @Test
    void lastUseShowsAtOnceWithoutAStoreWritePerRequest() {
        Http ci = create(Map.of("name", "ci", "role", "viewer"));
        long writesBefore = primary.server.store().tokens().useWrites();
        Instant before = Instant.now();
        for (int i = 0; i < 50; i++) {
            assertThat(ci.get("/api/v1/whoami").status()).isEqualTo(200);
        }
        Map<String, Object> token = list(primary.admin.get("/api/v1/tokens"), "tokens").stream()
                .filter(t -> t.get("name").equals("ci")).findFirst().orElseThrow();
        assertThat(Instant.parse((String) token.get("lastUsedAt"))).isAfterOrEqualTo(before.minusMillis(1));
        // 50 requests by ci and 1 list by the admin: at most one write each within the minute.
        assertThat(primary.server.store().tokens().useWrites() - writesBefore).isBetween(1L, 2L);
    }
}
