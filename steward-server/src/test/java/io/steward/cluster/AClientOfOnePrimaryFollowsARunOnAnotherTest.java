package io.steward.cluster;

import io.steward.gateway.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15: two primaries on one PostgreSQL; a run on primary B, followed through primary A from before it takes
 * its steps, by a JDK HttpClient reading the event stream and by {@code curl -N} as an outside client. A's clients
 * see every event in order (seq 1..n, no gap) and then the end, A's {@code GET} of the run shows it live and then
 * ended, A's change stream shows its end, A serves its output; a cancel or message sent to A names B instead of
 * pretending. Prints the lag from an event's emission on B to its arrival at a client of A (and of B, to compare).
 */
class AClientOfOnePrimaryFollowsARunOnAnotherTest {
    private static final int STEPS = 300;
    /** Waits for the test's go, then ~2 s of status values, events, progress and a local process's output. */
    private static final String SCRIPT = """
            inbox.take(60000)
            status.set('phase', 'steps')
            for (i in 1..args.steps) {
                status.event('step', [i: i, at: System.nanoTime()])
                if (i % 60 == 0) {
                    status.progress(i / args.steps, "step " + i)
                }
                Thread.sleep(5)
            }
            exec('for i in 1 2 3 4 5; do echo out-$i; sleep 0.1; done')
            status.set('phase', 'done')
            'finished'
            """;

    @TempDir
    Path dir;

    @Test
    void everyEventOfARunOnBReachesClientsOfAInOrderAndLive() throws Exception {
        try (TwoPrimaries cluster = new TwoPrimaries(dir)) {
            Http onA = cluster.a.admin;
            Http onB = cluster.b.admin;
            String ownerId = cluster.b.server.store().config().primaryId();
            cluster.a.push("steps.groovy", SCRIPT);
            Http.Answer invoked = onB.post("/api/v1/runs", Map.of("script", "steps.groovy", "args", Map.of("steps", STEPS)));
            assertThat(invoked.status()).as(invoked.body()).isEqualTo(201);
            String id = (String) invoked.json().get("id");
            String events = "/api/v1/runs/" + id + "/events";

            await().atMost(Duration.ofSeconds(10)).until(() -> "RUNNING".equals(onA.get("/api/v1/runs/" + id).json().get("state")));
            Path curlOut = dir.resolve("curl.txt");
            Process curl = new ProcessBuilder("curl", "-sN", "--max-time", "60", "-H", "Authorization: Bearer " + onA.token(),
                    "-H", "Accept: text/event-stream", cluster.a.server.url() + events)
                    .redirectOutput(curlOut.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (SseFollower viaA = new SseFollower(onA, events);
                 SseFollower viaB = new SseFollower(onB, events);
                 SseFollower changesOnA = new SseFollower(onA, "/api/v1/changes")) {
                await().atMost(Duration.ofSeconds(10)).until(() -> viaA.opened() && viaB.opened() && changesOnA.opened()
                        && Files.exists(curlOut) && Files.readString(curlOut).contains(": steward event stream"));
                assertThat(cluster.a.server.store().tail().listening()).as("A listens to the commits of B").isTrue();

                // While the run waits for its go: A knows it is B's, and says so rather than pretending.
                Http.Answer cancel = onA.post("/api/v1/runs/" + id + "/cancel", Map.of());
                assertThat(cancel.status()).as(cancel.body()).isEqualTo(409);
                assertThat(cancel.errorCode()).isEqualTo("run_on_another_primary");
                assertThat(cancel.errorMessage()).contains(ownerId).contains("send the cancel to that primary");
                Http.Answer message = onA.post("/api/v1/runs/" + id + "/messages", Map.of("message", "from A"));
                assertThat(message.status()).as(message.body()).isEqualTo(409);
                assertThat(message.errorCode()).isEqualTo("run_on_another_primary");
                Http.Answer earlyOutput = onA.get("/api/v1/runs/" + id + "/output");
                assertThat(earlyOutput.headers().firstValue("X-More")).hasValue("true");

                assertThat(onB.post("/api/v1/runs/" + id + "/messages", Map.of("message", "go")).status()).isEqualTo(202);

                // A's GET is the store's live record: it moves while B runs the steps.
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
                    Map<String, Object> live = onA.get("/api/v1/runs/" + id).json();
                    return "RUNNING".equals(live.get("state")) && ((Number) live.get("lastSeq")).longValue() > STEPS / 3;
                });

                await().atMost(Duration.ofSeconds(30)).until(() -> viaA.ended() && viaB.ended());
                assertThat(curl.waitFor(30, TimeUnit.SECONDS)).as("curl's stream ends with the run").isTrue();
                Map<String, Object> ended = onA.get("/api/v1/runs/" + id).json();
                assertThat(ended).containsEntry("state", "SUCCEEDED").containsEntry("result", "finished");
                long last = ((Number) ended.get("lastSeq")).longValue();
                List<Long> all = LongStream.rangeClosed(1, last).boxed().toList();

                assertThat(viaA.frames.stream().map(SseFollower.Frame::id).toList()).as("seq 1..n through A").isEqualTo(all);
                SseFollower.Frame end = viaA.frames.getLast();
                assertThat(end.event()).isEqualTo("state");
                assertThat(TestJson.at(end.data(), "data", "state")).isEqualTo("SUCCEEDED");
                assertThat(viaB.frames.stream().map(SseFollower.Frame::id).toList()).isEqualTo(all);
                assertThat(curlIds(Files.readString(curlOut))).as("seq 1..n through A, to curl").isEqualTo(all);
                assertThat(Files.readString(curlOut)).contains("\"state\":\"SUCCEEDED\"");

                await().atMost(Duration.ofSeconds(10)).until(() -> changesOnA.frames.stream().anyMatch(f ->
                        "run".equals(f.event()) && id.equals(f.data().get("id")) && "SUCCEEDED".equals(f.data().get("state"))));
                Http.Answer output = onA.get("/api/v1/runs/" + id + "/output");
                assertThat(output.body()).isEqualTo("out-1\nout-2\nout-3\nout-4\nout-5\n");
                assertThat(output.headers().firstValue("X-More")).hasValue("false");

                List<Long> lagA = lags(viaA);
                List<Long> lagB = lags(viaB);
                assertThat(lagA).hasSize(STEPS);
                System.out.printf("emitted on B -> seen by a client of A, %d events: p50 %.1f ms, p99 %.1f ms, max %.1f ms"
                                + " (a client of B: p50 %.1f ms, p99 %.1f ms)%n", lagA.size(), ms(lagA, 50), ms(lagA, 99),
                        ms(lagA, 100), ms(lagB, 50), ms(lagB, 99));
                // The commit notices woke A's followers, not the poll behind them (every second while listening).
                assertThat(ms(lagA, 50)).as("p50 lag through A in ms").isLessThan(250);
            } finally {
                curl.destroy();
            }
        }
    }

    /** Per step event: from its emission in B's script to its arrival at the follower (one JVM, one clock). */
    private static List<Long> lags(SseFollower follower) {
        List<Long> lags = new ArrayList<>();
        for (SseFollower.Frame f : follower.frames) {
            if ("event".equals(f.event()) && "step".equals(TestJson.at(f.data(), "data", "name"))) {
                long at = ((Number) TestJson.at(f.data(), "data", "data", "at")).longValue();
                lags.add(f.receivedNanos() - at);
            }
        }
        return lags.stream().sorted().toList();
    }

    private static double ms(List<Long> sorted, int percentile) {
        int index = Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    private static List<Long> curlIds(String stream) {
        return stream.lines().filter(l -> l.startsWith("id: ")).map(l -> Long.parseLong(l.substring(4).strip())).toList();
    }
}
