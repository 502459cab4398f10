package io.steward.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A revoked or expired token ends the live streams it holds, within about a second, not at their next request: a
 * real HTTP client reading the stream sees it close. Streams of other tokens stay open.
 */
class RevokingATokenEndsItsOpenStreamsTest {
    @TempDir
    Path dir;
    TestPrimary primary;
    String run;
    final List<Stream> streams = new ArrayList<>();

    /** A client reading a stream line by line on its own thread until the server ends it. */
    static final class Stream {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final AtomicBoolean ended = new AtomicBoolean();
        InputStream body;

        boolean open() {
            return !ended.get();
        }
    }

    @BeforeEach
    void setUp() {
        primary = new TestPrimary(dir);
        primary.push("waits.groovy", "Thread.sleep(120_000)");
        Http.Answer a = primary.admin.post("/api/v1/runs", Map.of("script", "waits.groovy"));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        run = (String) a.json().get("id");
    }

    @AfterEach
    void tearDown() throws IOException {
        primary.admin.post("/api/v1/runs/" + run + "/cancel", Map.of());
        for (Stream s : streams) {
            s.body.close();
        }
        primary.close();
    }

    private Http token(String name, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(extra);
        body.put("name", name);
        body.put("role", "viewer");
        Http.Answer created = primary.admin.post("/api/v1/tokens", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return primary.admin.as((String) created.json().get("token"));
    }

    private Stream open(Http client, String path, String firstLine) throws Exception {
        var request = client.request(path).header("Accept", "text/event-stream").timeout(Duration.ofMinutes(5)).GET().build();
        HttpResponse<InputStream> response = client.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        Stream stream = new Stream();
        stream.body = response.body();
        streams.add(stream);
        Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    stream.lines.add(line);
                }
            } catch (IOException e) {
                stream.lines.add("! " + e);
            } finally {
                stream.ended.set(true);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> stream.lines.contains(firstLine));
        return stream;
    }

    @Test
    void revokingATokenEndsItsEventStreamsWithinTwoSeconds() throws Exception {
        Http viewer = token("watcher", Map.of());
        Stream mine = open(viewer, "/api/v1/runs/" + run + "/events", ": steward event stream");
        Stream again = open(viewer, "/api/v1/runs/" + run + "/events", ": steward event stream");
        Stream admins = open(primary.admin, "/api/v1/runs/" + run + "/events", ": steward event stream");

        assertThat(primary.admin.delete("/api/v1/tokens/watcher").status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(2)).until(() -> !mine.open() && !again.open());
        assertThat(mine.lines).anyMatch(l -> l.contains("the token 'watcher' was revoked"));
        assertThat(admins.open()).as("another token's stream goes on").isTrue();
        assertThat(viewer.get("/api/v1/runs/" + run + "/events").status()).isEqualTo(401);
    }

    @Test
    void revokingATokenEndsItsChangeStreamWithinTwoSeconds() throws Exception {
        Http viewer = token("dashboard", Map.of());
        Stream mine = open(viewer, "/api/v1/changes", "event: hello");
        Stream admins = open(primary.admin, "/api/v1/changes", "event: hello");

        assertThat(primary.admin.delete("/api/v1/tokens/dashboard").status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(2)).until(() -> !mine.open());
        assertThat(mine.lines).anyMatch(l -> l.contains("the token 'dashboard' was revoked"));
        assertThat(admins.open()).isTrue();
    }

    @Test
    void aTokenThatExpiresEndsItsStreamsAtItsExpiry() throws Exception {
        Http brief = token("brief", Map.of("expiresIn", "2s"));
        Stream events = open(brief, "/api/v1/runs/" + run + "/events", ": steward event stream");
        Stream changes = open(brief, "/api/v1/changes", "event: hello");
        assertThat(events.open()).isTrue();

        await().atMost(Duration.ofSeconds(5)).until(() -> !events.open() && !changes.open());
        assertThat(events.lines).anyMatch(l -> l.contains("the token 'brief' expired at"));
        assertThat(changes.lines).anyMatch(l -> l.contains("the token 'brief' expired at"));
    }
}
