package io.steward.gateway;

import io.steward.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run that publishes far faster than {@code --max-events-per-second} is slowed down to the limit, as docs/api.md
 * says: it takes as long as the rate allows, every event it published is stored (none dropped), and the waits are
 * counted in /metrics.
 */
class EventsPerSecondLimitSlowsARunTest {
    private static final int RATE = 200;
    private static final int EVENTS = 1000;

    @TempDir
    Path dir;
    TestPrimary primary;

    @BeforeEach
    void setUp() {
        primary = new TestPrimary(ServerConfig.defaults(dir).withGateway(new GatewayConfig("127.0.0.1", 0, 64 * 1024,
                new Limits(0, 0, 0, 0, RATE))));
    }

    @AfterEach
    void tearDown() {
        primary.close();
    }

    @Test
    void aFastPublisherIsSlowedAndLosesNothing() {
        // Two script threads publishing at once share their run's budget.
        primary.push("chatty.groovy", """
                parallel([0, 1]) { t -> (1..%d).each { status.event('tick', [thread: t, n: it]) } }
                'done'""".formatted(EVENTS / 2));
        long start = System.nanoTime();
        Map<String, Object> run = primary.admin.post("/api/v1/runs?wait=60s", Map.of("script", "chatty.groovy")).json();
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(run).containsEntry("state", "SUCCEEDED");

        // A second's worth goes at once; the other 800 events take 4 seconds at 200 a second.
        double least = (EVENTS - RATE) / (double) RATE;
        assertThat(seconds).as("run time in seconds").isGreaterThan(least * 0.9);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> events = (List<Map<String, Object>>) primary.admin
                .get("/api/v1/runs/" + run.get("id") + "/events?limit=10000").json().get("events");
        assertThat(events.stream().filter(e -> e.get("kind").equals("event")).count()).isEqualTo(EVENTS);

        // How many events waited depends on how fast the script runs by itself (on a busy machine the bucket refills
        // meanwhile); that some did, and for how long, is what the meters must show.
        Scrape scrape = Scrape.of(primary.admin);
        assertThat(scrape.value("steward_limit_refusals_total", "limit=events_per_second")).isBetween(1.0, (double) EVENTS);
        assertThat(scrape.value("steward_events_paced_seconds_total")).isGreaterThan(0);
    }
}
