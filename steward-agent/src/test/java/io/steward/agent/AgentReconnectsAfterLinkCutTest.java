package io.steward.agent;

import io.steward.coordinator.RunSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cutting the link, not the agent, while a run emits 10,000 events: the run goes on, its events wait in the
 * outbox, and after each reconnect exactly what was not acknowledged is sent again, so that the primary (which
 * drops what it already holds) ends with all 10,000, once each, in order.
 */
class AgentReconnectsAfterLinkCutTest {
    private static final String RUN = "RUN10K";

    @Test
    void allTenThousandEventsArriveOnceInOrder(@TempDir Path data) throws Exception {
        Path gate = data.resolve("gate");
        try (FakePrimary primary = new FakePrimary().start();
             Agent agent = Agent.start(AgentJoinsWithJoinTokenTest.config(primary, data))) {
            await().atMost(Duration.ofSeconds(10)).until(agent::connected);
            primary.ackCap.set(3000);
            Map<String, Object> run = AgentRunsScriptsForThePrimaryTest.run(RUN, "spam.groovy", """
                    (1..5000).each { status.event('n', [i: it]) }
                    while (!new File(args.gate).exists()) { sleep(5) }
                    (5001..10000).each { status.event('n', [i: it]) }
                    'done'
                    """, Map.of(), Map.of("gate", gate.toString()));
            primary.send(run);

            // the first half is out and acknowledged up to 3000; the run now waits at the gate
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.outbox().ackedSeq(RUN) == 3000
                    && countOf(primary, RUN) == 5000);

            // cut 1: close the session; on the new link the agent sends again exactly what was not acked
            primary.dropSession();
            await().atMost(Duration.ofSeconds(10)).until(() -> primary.receivedOn.get(RUN).contains(2));
            int firstOnSecond = primary.receivedOn.get(RUN).indexOf(2);
            assertThat(primary.received.get(RUN).get(firstOnSecond)).isEqualTo(3001L);

            // cut 2: the primary goes away while the second half is being emitted and sent
            primary.ackCap.set(Long.MAX_VALUE);
            Files.createFile(gate);
            await().atMost(Duration.ofSeconds(30)).until(() -> countOf(primary, RUN) > 6000
                    || agent.coordinator().snapshot(RUN).map(s -> s.state().isTerminal()).orElse(false));
            primary.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.coordinator().snapshot(RUN)
                    .map(s -> s.state().isTerminal()).orElse(false));

            primary.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> primary.ended(RUN) != null);

            RunSnapshot last = agent.coordinator().snapshot(RUN).orElseThrow();
            assertThat(primary.ended(RUN)).containsEntry("state", "SUCCEEDED").containsEntry("result", "done");
            List<Map<String, Object>> events = primary.events(RUN);
            assertThat(events).extracting(e -> ((Number) e.get("seq")).longValue())
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, last.lastSeq()).boxed().toList());
            assertThat(events).filteredOn(e -> "event".equals(e.get("kind")))
                    .extracting(e -> ((Number) ((Map<?, ?>) ((Map<?, ?>) e.get("data")).get("data")).get("i")).intValue())
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, 10_000).boxed().toList());
            assertThat(primary.connections()).isGreaterThanOrEqualTo(3);
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.outbox().heldRuns().isEmpty());
        }
    }

    private static long countOf(FakePrimary primary, String run) {
        return primary.events(run).stream().filter(e -> "event".equals(e.get("kind"))).count();
    }
}
