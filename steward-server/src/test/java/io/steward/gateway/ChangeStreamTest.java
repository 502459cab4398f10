package io.steward.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/v1/changes} says hello, then tells a client each run that starts, changes state or progress, and
 * ends; it takes {@code ?access_token=} like the events stream, and nothing without a token.
 */
class ChangeStreamTest {
    @TempDir
    Path dir;
    TestPrimary primary;
    Thread reader;

    @BeforeEach
    void setUp() {
        primary = new TestPrimary(dir);
    }

    @AfterEach
    void tearDown() {
        if (reader != null) {
            reader.interrupt();
        }
        primary.close();
    }

    /** Opens the stream without an Authorization header and collects its frames as "event data" strings. */
    private List<String> follow(Http client, String query) throws Exception {
        Http anonymous = client.as(null);
        var request = anonymous.request("/api/v1/changes" + query).header("Accept", "text/event-stream").GET().build();
        HttpResponse<InputStream> response = anonymous.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        List<String> frames = new CopyOnWriteArrayList<>();
        reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String event = null;
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ") && event != null) {
                        frames.add(event + " " + line.substring(6));
                        event = null;
                    }
                }
            } catch (Exception e) {
                // the test ended the stream
            }
        });
        return frames;
    }

    @Test
    void aViewerSeesARunStartChangeStateAndEnd() throws Exception {
        primary.push("steps.groovy", "status.progress(0.5, 'half'); inbox.take(30000); 'done'");
        String viewer = primary.withRole("viewer").token();
        List<String> frames = follow(primary.admin, "?access_token=" + viewer);
        await().atMost(Duration.ofSeconds(10)).until(() -> frames.contains("hello {}"));

        String id = (String) primary.admin.post("/api/v1/runs", Map.of("script", "steps.groovy")).json().get("id");
        await().atMost(Duration.ofSeconds(10)).until(() -> frames.stream().anyMatch(f ->
                f.startsWith("run ") && f.contains(id) && f.contains("\"state\":\"RUNNING\"") && f.contains("\"message\":\"half\"")));
        primary.admin.post("/api/v1/runs/" + id + "/messages", Map.of("message", "go"));
        await().atMost(Duration.ofSeconds(10)).until(() -> frames.stream().anyMatch(f ->
                f.startsWith("run ") && f.contains(id) && f.contains("\"state\":\"SUCCEEDED\"")));
        assertThat(frames).filteredOn(f -> f.startsWith("run ")).noneMatch(f -> f.contains("\"shared\""));
    }

    @Test
    void theStreamNeedsAToken() {
        Http anonymous = primary.admin.as(null);
        assertThat(anonymous.get("/api/v1/changes").status()).isEqualTo(401);
        assertThat(anonymous.get("/api/v1/changes?access_token=stw_forged").status()).isEqualTo(401);
        assertThat(primary.admin.get("/api/v1/openapi.json").body()).contains("/api/v1/changes");
    }
}
