package io.steward.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.gateway.Http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client reading a Server-Sent Events stream with the JDK's HttpClient, on a virtual thread: every frame with the
 * {@link System#nanoTime()} it arrived at, whether the server's opening comment came, and whether the stream ended.
 */
final class SseFollower implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One frame: its {@code id:} (0 when none), {@code event:} and {@code data:} parsed as JSON. */
    record Frame(long id, String event, Map<String, Object> data, long receivedNanos) {
    }

    final List<Frame> frames = new CopyOnWriteArrayList<>();
    private volatile boolean opened;
    private volatile boolean ended;
    private final Thread reader;
    private final InputStream body;

    SseFollower(Http client, String path) throws IOException, InterruptedException {
        var request = client.request(path).header("Accept", "text/event-stream").GET().build();
        HttpResponse<InputStream> response = client.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).as("status of " + path).isEqualTo(200);
        this.body = response.body();
        this.reader = Thread.ofVirtual().start(this::read);
    }

    @SuppressWarnings("unchecked")
    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            long id = 0;
            String event = null;
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith(":")) {
                    opened = true;
                } else if (line.startsWith("id: ")) {
                    id = Long.parseLong(line.substring(4).strip());
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7).strip();
                } else if (line.startsWith("data: ")) {
                    long now = System.nanoTime();
                    frames.add(new Frame(id, event, JSON.readValue(line.substring(6), Map.class), now));
                    opened = true;
                } else if (line.isEmpty()) {
                    id = 0;
                    event = null;
                }
            }
        } catch (IOException e) {
            // the test closed the stream
        } finally {
            ended = true;
        }
    }

    boolean opened() {
        return opened;
    }

    boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        reader.interrupt();
        try {
            body.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
