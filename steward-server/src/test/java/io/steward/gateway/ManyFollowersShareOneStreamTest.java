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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many followers of one live run share its encoded frames, and still each get the whole stream, byte for byte the
 * same, in order: those that follow from the start, one that drops its connection mid-stream and resumes with
 * Last-Event-ID, one so slow that it reads nothing until every fast one is done, and one that arrives after the run
 * ended. A token the server does not know gets 401 even while the frames are cached.
 */
class ManyFollowersShareOneStreamTest {
    private static final int FAST = 12;

    @TempDir
    Path dir;
    TestPrimary primary;
    ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void setUp() {
        primary = new TestPrimary(dir);
    }

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
        primary.close();
    }

    /** An open SSE stream, read frame by frame: each frame is its id, event and data lines as sent. */
    private final class Follower implements AutoCloseable {
        final BufferedReader in;

        Follower(Http client, String runId, String lastEventId) throws Exception {
            var request = client.request("/api/v1/runs/" + runId + "/events").header("Accept", "text/event-stream").GET();
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            HttpResponse<InputStream> response = client.client().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        }

        /** Up to {@code max} more frames; fewer only when the server ended the stream. */
        List<String> read(int max) throws Exception {
            List<String> frames = new ArrayList<>();
            StringBuilder frame = new StringBuilder();
            String line;
            while (frames.size() < max && (line = in.readLine()) != null) {
                if (line.startsWith(":")) {
                    continue;
                }
                if (line.isEmpty()) {
                    if (!frame.isEmpty()) {
                        frames.add(frame.toString());
                        frame.setLength(0);
                    }
                } else {
                    frame.append(line).append('\n');
                }
            }
            return frames;
        }

        @Override
        public void close() throws Exception {
            in.close();
        }
    }

    private CompletableFuture<List<String>> follow(java.util.concurrent.Callable<List<String>> reader) {
        CompletableFuture<List<String>> result = new CompletableFuture<>();
        threads.submit(() -> {
            try {
                result.complete(reader.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    private static long id(String frame) {
        return Long.parseLong(frame.substring(4, frame.indexOf('\n')));
    }

    @Test
    void everyFollowerGetsTheSameCompleteOrderedStream() throws Exception {
        primary.push("chatty.groovy", "(1..3000).each { status.set('n', it); if (it % 300 == 0) sleep(30) }; 'done'");
        String id = (String) primary.admin.post("/api/v1/runs", Map.of("script", "chatty.groovy")).json().get("id");
        Http viewer = primary.withRole("viewer");

        List<CompletableFuture<List<String>>> fast = new ArrayList<>();
        for (int f = 0; f < FAST; f++) {
            fast.add(follow(() -> {
                try (Follower follower = new Follower(viewer, id, null)) {
                    return follower.read(Integer.MAX_VALUE);
                }
            }));
        }
        CompletableFuture<List<String>> resumed = follow(() -> {
            List<String> frames;
            try (Follower first = new Follower(viewer, id, null)) {
                frames = new ArrayList<>(first.read(1234));
            }
            try (Follower again = new Follower(viewer, id, Long.toString(id(frames.getLast())))) {
                frames.addAll(again.read(Integer.MAX_VALUE));
            }
            return frames;
        });
        CountDownLatch fastDone = new CountDownLatch(1);
        CompletableFuture<List<String>> slow = follow(() -> {
            try (Follower follower = new Follower(viewer, id, null)) {
                List<String> frames = new ArrayList<>(follower.read(10));
                // Reads nothing more until every fast follower has its whole stream: they must not wait for it.
                assertThat(fastDone.await(2, TimeUnit.MINUTES)).isTrue();
                frames.addAll(follower.read(Integer.MAX_VALUE));
                return frames;
            }
        });

        CompletableFuture.allOf(fast.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        // Checked before the slow follower is let go: after it, it may finish at once.
        assertThat(slow).isNotDone();
        fastDone.countDown();

        long lastSeq = ((Number) primary.admin.get("/api/v1/runs/" + id).json().get("lastSeq")).longValue();
        List<String> reference = fast.getFirst().get();
        assertThat(reference).extracting(ManyFollowersShareOneStreamTest::id)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, lastSeq).boxed().toList());
        assertThat(reference.getLast()).contains("event: state\n").contains("SUCCEEDED");
        for (var other : fast) {
            assertThat(other.get()).containsExactlyElementsOf(reference);
        }
        assertThat(resumed.get(2, TimeUnit.MINUTES)).containsExactlyElementsOf(reference);
        assertThat(slow.get(2, TimeUnit.MINUTES)).containsExactlyElementsOf(reference);

        try (Follower late = new Follower(viewer, id, "2500")) {
            assertThat(late.read(Integer.MAX_VALUE)).containsExactlyElementsOf(reference.subList(2500, reference.size()));
        }
        Http stranger = primary.admin.as("not-a-token");
        var refused = stranger.send(stranger.request("/api/v1/runs/" + id + "/events").header("Accept", "text/event-stream").GET()
                .timeout(Duration.ofSeconds(10)));
        assertThat(refused.status()).isEqualTo(401);
    }
}
