package io.steward.client;

import io.steward.testkit.FakeApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * follow() against a fake whose event stream breaks: every event reaches the consumer once and in order, the
 * resumed request names the last event seen, and a server that stays away ends the follow with a clear error.
 */
class FollowResumesAfterDropTest {
    private static final String EVENTS = "/api/v1/runs/r1/events";

    private FakeApi api;
    private StewardClient client;
    private final List<Event> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        api = FakeApi.start();
        client = StewardClient.connect(api.url(), "t", new Reconnect(3, Duration.ofMillis(10), Duration.ofMillis(50)));
    }

    @AfterEach
    void stop() {
        client.close();
        api.close();
    }

    /**
     * The JDK client drops what it had received but not yet handed out when its connection breaks, so a fake that
     * drops "after event 3" waits until the client has handed event 3 to the consumer.
     */
    private void awaitSeen(int events) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (seen.size() < events && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
    }

    @Test
    void aStreamDroppedMidWayResumesWithLastEventIdAndRepeatsNothing() {
        AtomicInteger connection = new AtomicInteger();
        api.on("GET", EVENTS, (req, reply) -> {
            FakeApi.Sse sse = reply.sse();
            if (connection.incrementAndGet() == 1) {
                sse.event(1, "state", Map.of("state", "RUNNING")).event(2, "log", Map.of("message", "one"))
                        .event(3, "progress", Map.of("fraction", 0.5)).raw("id: 4\nevent: log\ndata: {\"seq\":4,");
                awaitSeen(3);
                sse.drop();
            }
            // a server that resumes one event early must not make the consumer see event 3 twice
            sse.event(3, "progress", Map.of("fraction", 0.5)).event(4, "log", Map.of("message", "two"))
                    .event(5, "state", Map.of("state", "SUCCEEDED"));
            sse.end();
        });
        api.json("GET", "/api/v1/runs/r1", 200, Map.of("id", "r1", "state", "SUCCEEDED", "result", 42));

        Map<String, Object> end = client.follow("r1", 0, seen::add);

        assertThat(end).containsEntry("result", 42);
        assertThat(seen).extracting(Event::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(client.streaming()).isTrue();
        assertThat(seen.get(3)).isEqualTo(new Event(4, "log", 1_700_000_000_004L, Map.of("message", "two")));
        List<FakeApi.Request> calls = api.requests("GET", EVENTS);
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).header("Accept")).isEqualTo("text/event-stream");
        assertThat(calls.get(0).header("Last-Event-ID")).isNull();
        assertThat(calls.get(1).header("Last-Event-ID")).isEqualTo("3");
        assertThat(calls.get(1).query()).containsEntry("after", "3");
    }

    @Test
    void dataThatIsOnlyTheEventsPayloadWorksToo() {
        api.on("GET", EVENTS, (req, reply) -> reply.sse()
                .raw("id: 8\nevent: status\ndata: {\"name\":\"phase\",\"value\":\"build\"}\n\n")
                .raw("id: 9\nevent: state\ndata: {\"state\":\"FAILED\"}\n\n").end());
        api.json("GET", "/api/v1/runs/r1", 200, Map.of("id", "r1", "state", "FAILED"));

        client.follow("r1", 7, seen::add);

        assertThat(seen).containsExactly(new Event(8, "status", 0, Map.of("name", "phase", "value", "build")),
                new Event(9, "state", 0, Map.of("state", "FAILED")));
        assertThat(api.requests("GET", EVENTS).getFirst().header("Last-Event-ID")).isEqualTo("7");
    }

    @Test
    void aStreamClosedEarlyIsFollowedAgainOnlyWhileTheRunIsStillGoing() {
        AtomicInteger connection = new AtomicInteger();
        AtomicInteger polls = new AtomicInteger();
        api.on("GET", EVENTS, (req, reply) -> {
            FakeApi.Sse sse = reply.sse();
            if (connection.incrementAndGet() == 1) {
                sse.event(1, "log", Map.of("message", "a")).end();
                return;
            }
            sse.end();
        });
        api.on("GET", "/api/v1/runs/r1", (req, reply) ->
                reply.json(200, Map.of("id", "r1", "state", polls.incrementAndGet() == 1 ? "RUNNING" : "CANCELLED")));

        Map<String, Object> end = client.follow("r1", 0, seen::add);

        assertThat(end).containsEntry("state", "CANCELLED");
        assertThat(seen).extracting(Event::seq).containsExactly(1L);
        assertThat(api.requests("GET", EVENTS)).hasSize(2);
    }

    @Test
    void aServerThatStaysAwayEndsTheFollowWithTheReason() {
        String url = api.url();
        api.on("GET", EVENTS, (req, reply) -> {
            FakeApi.Sse sse = reply.sse().event(1, "log", Map.of("message", "a"));
            awaitSeen(1);
            Thread.ofVirtual().start(api::close);
            sse.drop();
        });

        assertThatThrownBy(() -> client.follow("r1", 0, seen::add)).isInstanceOfSatisfying(StewardApiException.class, e -> {
            assertThat(e.noAnswer()).isTrue();
            assertThat(e.getMessage()).startsWith("cannot reach the Steward server at " + url);
        });
        assertThat(seen).extracting(Event::seq).containsExactly(1L);
    }

    @Test
    void anHttpErrorIsNotRetried() {
        api.on("GET", EVENTS, (req, reply) -> reply.error(401, "unauthorized", "unknown token"));

        assertThatThrownBy(() -> client.follow("r1", 0, seen::add)).isInstanceOfSatisfying(StewardApiException.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.getMessage()).isEqualTo("unknown token");
        });
        assertThat(api.requests("GET", EVENTS)).hasSize(1);
    }

    @Test
    void anInterruptedFollowerStopsAndKeepsItsInterruptFlag() throws Exception {
        api.on("GET", EVENTS, (req, reply) -> {
            reply.sse().event(1, "log", Map.of("message", "a"));
            LockSupport.parkNanos(Duration.ofSeconds(10).toNanos());
        });
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean flag = new AtomicBoolean();
        Thread follower = Thread.ofVirtual().start(() -> {
            try {
                client.follow("r1", 0, seen::add);
            } catch (Throwable t) {
                failure.set(t);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        awaitSeen(1);
        follower.interrupt();
        follower.join(Duration.ofSeconds(5));

        assertThat(follower.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOfSatisfying(StewardApiException.class, e ->
                assertThat(e.code()).isEqualTo(StewardApiException.INTERRUPTED));
        assertThat(flag).isTrue();
    }
}
