package io.steward.secrets;

import io.steward.gateway.Http;
import io.steward.gateway.TestPrimary;
import io.steward.store.SecretsUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Secret args and secret status values over the real API on a real primary: the script reads the real values, the
 * run, its events (page and SSE stream), its output and the store's raw tables never hold them; a retry gets them
 * back from the sealed store; another key refuses to open them, saying so.
 */
class SecretsStayHiddenTest {
    static final String PASSWORD = "s3cret-Pa55word-7731";
    /** Made by the scripts at run time, so that their sources (which the store keeps) hold neither value. */
    static final String TOKEN = PASSWORD + "-token";
    static final String REVERSED = new StringBuilder(PASSWORD).reverse().toString();

    static final String GROOVY = """
            status.set('token', args.password + '-token', secret: true)
            exec(['sh', '-c', 'echo "connecting with $0"', args.password])
            log.info('password ' + args.password)
            status.set('ok', args.password.reverse() == 'REVERSED' && status.get('token') == args.password + '-token'
                    && args.user == 'ada')
            """.replace("REVERSED", REVERSED);
    static final String JS = """
            status.set('token', args.password + '-token', {secret: true});
            exec(['sh', '-c', 'echo "connecting with $0"', args.password]);
            log.info('password ' + args.password);
            status.set('ok', args.password.split('').reverse().join('') === 'REVERSED'
                    && status.get('token') === args.password + '-token' && args.user === 'ada');
            """.replace("REVERSED", REVERSED);

    @TempDir
    Path dir;
    TestPrimary primary;

    @AfterEach
    void stop() {
        if (primary != null) {
            primary.close();
        }
    }

    @Test
    void neitherTheApiNorTheStoreEverHoldsTheValues() throws Exception {
        primary = new TestPrimary(dir);
        primary.push("login.groovy", GROOVY);
        primary.push("login.js", JS);
        for (String script : new String[]{"login.groovy", "login.js"}) {
            Http.Answer invoked = primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", script,
                    "args", Map.of("user", "ada"), "secretArgs", Map.of("password", PASSWORD)));
            assertThat(invoked.status()).as(invoked.body()).isEqualTo(201);
            assertHidden(invoked.body());
            Map<String, Object> run = invoked.json();
            String id = (String) run.get("id");
            assertThat(run.get("state")).as(invoked.body()).isEqualTo("SUCCEEDED");
            Map<String, Object> status = TestPrimary.map(TestPrimary.map(run.get("status")).get("values"));
            assertThat(status).as("the script read the real values").containsEntry("ok", true)
                    .containsEntry("token", "***");
            assertThat(TestPrimary.map(run.get("args"))).containsEntry("password", "***").containsEntry("user", "ada");

            Http.Answer polled = primary.admin.get("/api/v1/runs/" + id);
            assertHidden(polled.body());
            assertThat(polled.body()).contains("\"password\":\"***\"");

            Http.Answer events = primary.admin.get("/api/v1/runs/" + id + "/events");
            assertHidden(events.body());
            assertThat(events.body()).contains("\"secret\":true").contains("password ***");

            assertHidden(sse(id));

            Http.Answer output = primary.admin.get("/api/v1/runs/" + id + "/output");
            assertHidden(output.body());
            assertThat(output.body()).contains("connecting with ***");
        }
        Path data = dir;
        primary.close();
        primary = null;
        String everything = dump(data);
        assertThat(everything).as("the store's raw tables").contains("\"RUN_SECRETS\"").contains("connecting with ***");
        assertHidden(everything);
        assertThat(everything).contains("'v1.");
        assertThat(Files.getPosixFilePermissions(data.resolve("secret.key")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void aRetryGetsTheSecretArgsAndAnotherKeyRefusesThem() throws Exception {
        primary = new TestPrimary(dir);
        primary.push("flaky.groovy", """
                if (args.retry.attempt < 2) {
                    throw new RuntimeException('attempt ' + args.retry.attempt + ' fails')
                }
                args.password.reverse() == 'REVERSED'
                """.replace("REVERSED", REVERSED));
        Http.Answer invoked = primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "flaky.groovy",
                "secretArgs", Map.of("password", PASSWORD), "retry", Map.of("attempts", 2, "backoff", "100ms")));
        assertThat(invoked.status()).as(invoked.body()).isEqualTo(201);
        assertThat(invoked.json().get("state")).as(invoked.body()).isEqualTo("SUCCEEDED");
        assertThat(invoked.json().get("result")).as("attempt 2 saw the real password").isEqualTo(true);
        assertThat(TestPrimary.map(invoked.json().get("retry"))).containsEntry("attempt", 2);
        assertHidden(invoked.body());
        String first = (String) TestPrimary.map(invoked.json().get("retry")).get("of");
        assertThat(primary.server.store().secrets().load(first)).containsEntry("password", PASSWORD);
        primary.close();
        primary = null;
        assertHidden(dump(dir));

        byte[] otherKey = new byte[32];
        new SecureRandom().nextBytes(otherKey);
        Files.writeString(dir.resolve("secret.key"), Base64.getEncoder().encodeToString(otherKey) + "\n");
        primary = new TestPrimary(dir);
        assertThatThrownBy(() -> primary.server.store().secrets().load(first))
                .isInstanceOf(SecretsUnavailableException.class)
                .hasMessageContaining("were sealed with the key")
                .hasMessageContaining("start the primary with the secret.key (or STEWARD_SECRET_KEY) they were sealed with");
    }

    @Test
    void aSecretArgThatIsAlsoAPlainArgIsRefusedAndNothingIsKept() throws Exception {
        primary = new TestPrimary(dir);
        primary.push("x.groovy", "1");
        Http.Answer refused = primary.admin.post("/api/v1/runs", Map.of("script", "x.groovy",
                "args", Map.of("password", "a"), "secretArgs", Map.of("password", PASSWORD)));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errorMessage()).contains("'password' is both an arg and a secret arg");
        Http.Answer missing = primary.admin.post("/api/v1/runs", Map.of("script", "nope.groovy",
                "secretArgs", Map.of("password", PASSWORD)));
        assertThat(missing.status()).isEqualTo(404);
        primary.close();
        primary = null;
        assertThat(dump(dir)).doesNotContain("INSERT INTO \"PUBLIC\".\"RUN_SECRETS\"");
    }

    private static void assertHidden(String text) {
        assertThat(text).doesNotContain(PASSWORD).doesNotContain(TOKEN);
    }

    /** The run's whole SSE stream, read until its final state event. */
    private String sse(String id) throws Exception {
        var request = primary.admin.request("/api/v1/runs/" + id + "/events")
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(20)).GET();
        HttpResponse<InputStream> response = primary.admin.client().send(request.build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        StringBuilder all = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                all.append(line).append('\n');
                if (line.contains("\"state\":\"SUCCEEDED\"")) {
                    break;
                }
            }
        }
        assertThat(all).contains("\"secret\":true");
        return all.toString();
    }

    /** Every table of the stopped primary's H2 file, as SQL, read directly (not through the store). */
    static String dump(Path data) throws Exception {
        StringBuilder all = new StringBuilder();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("steward"), "steward", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SCRIPT")) {
            while (rs.next()) {
                all.append(rs.getString(1)).append('\n');
            }
        }
        return all.toString();
    }
}
