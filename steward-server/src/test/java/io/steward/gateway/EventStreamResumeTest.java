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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Following a run as Server-Sent Events, dropping the stream and resuming with Last-Event-ID loses and repeats nothing. */
class EventStreamResumeTest {
    @TempDir
    Path dir;
    TestPrimary primary;

    @BeforeEach
    void setUp() {
        primary = new TestPrimary(dir);
    }

    @AfterEach
    void tearDown() {
        primary.close();
    }

    /** Reads one SSE stream, returning the ids seen; stops after {@code max} events (then drops the connection). */
    private List<Long> read(String runId, String lastEventId, int max, List<String> kinds) throws Exception {
        var request = primary.admin.request("/api/v1/runs/" + runId + "/events").header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = primary.admin.client().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        List<Long> ids = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            Long id = null;
            while (ids.size() < max && (line = in.readLine()) != null) {
                if (line.startsWith("id: ")) {
                    id = Long.parseLong(line.substring(4));
                } else if (line.startsWith("event: ")) {
                    kinds.add(line.substring(7));
                } else if (line.isEmpty() && id != null) {
                    ids.add(id);
                    id = null;
                }
            }
        }
        return ids;
    }

    @Test
    void aDroppedStreamResumesWithoutGapsOrRepeats() throws Exception {
        primary.push("chatty.groovy", "(1..2000).each { status.set('n', it); if (it % 200 == 0) sleep(20) }; 'done'");
        String id = (String) primary.admin.post("/api/v1/runs", Map.of("script", "chatty.groovy")).json().get("id");
        List<Long> seen = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        String last = null;
        for (int round = 0; round < 100; round++) {
            List<Long> got = read(id, last, 150, kinds);
            seen.addAll(got);
            if (got.isEmpty() || got.size() < 150) {
                break;
            }
            last = Long.toString(got.getLast());
        }
        long lastSeq = ((Number) primary.admin.get("/api/v1/runs/" + id).json().get("lastSeq")).longValue();
        assertThat(seen).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, lastSeq).boxed().toList());
        assertThat(kinds.stream().filter("status"::equals).count()).isEqualTo(2000);
        assertThat(kinds.getLast()).isEqualTo("state");
    }
}
