package io.steward.schedule;

import io.steward.gateway.Http;
import io.steward.gateway.TestPrimary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A schedule with a slot every two seconds fires through a stop and a start of the primary on the same H2 file:
 * every slot from its first to its last handled one is accounted for exactly once, as a run or as a miss; no slot
 * has two runs; the slots the primary slept through are missed (at most the latest, if within the 1 s grace, runs)
 * and the audit log says so.
 */
class ScheduleFiresEachSlotOnceAcrossARestartTest {
    private static final Duration SLOT = Duration.ofSeconds(2);

    @TempDir
    Path dir;
    TestPrimary primary;

    @AfterEach
    void tearDown() {
        if (primary != null) {
            primary.close();
        }
    }

    @Test
    void everySlotRunsOnceOrIsMissedAndTheDowntimeIsReported() {
        primary = new TestPrimary(dir);
        primary.push("tick.groovy", "args._schedule.slot");
        Http.Answer added = primary.admin.post("/api/v1/schedules", Map.of("name", "tick", "cron", "*/2 * * * * ?",
                "script", "tick.groovy", "grace", "1s"));
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> fired() >= 2);

        primary.close();
        primary = null;
        Instant stopped = Instant.now();
        // Down over at least three slots.
        await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(stopped.plusSeconds(7)));
        Instant restarted = Instant.now();
        primary = new TestPrimary(dir);
        long firedAtRestart = fired();
        await().atMost(Duration.ofSeconds(30)).until(() -> fired() >= firedAtRestart + 2);

        assertThat(primary.admin.post("/api/v1/schedules/tick/pause", "{}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> !"CLAIMED".equals(schedule().get("lastOutcome")));
        Map<String, Object> schedule = schedule();
        long fired = ((Number) schedule.get("fired")).longValue();
        long missed = ((Number) schedule.get("missed")).longValue();
        assertThat(schedule).containsEntry("paused", true).containsEntry("nextSlot", null);

        // The runs, read back from the store (those before the restart) and the coordinator: one per fired slot.
        await().atMost(Duration.ofSeconds(10)).until(() -> runs().size() == fired);
        Map<Instant, Integer> runsPerSlot = new TreeMap<>();
        for (Map<String, Object> run : runs()) {
            assertThat(run).containsEntry("invoker", "schedule:tick");
            Map<String, Object> marker = TestPrimary.map(TestPrimary.map(run.get("args")).get("_schedule"));
            assertThat(marker).containsEntry("name", "tick");
            runsPerSlot.merge(Instant.parse((String) marker.get("slot")), 1, Integer::sum);
        }
        assertThat(runsPerSlot.values()).as("runs per slot: %s", runsPerSlot).allMatch(n -> n == 1);

        // Every slot from the first to the latest handled one is a run or a miss, never both, never neither.
        Instant first = runsPerSlot.keySet().iterator().next();
        Instant lastSlot = Instant.parse((String) schedule.get("lastSlot"));
        Instant lastMissed = Instant.parse((String) schedule.get("lastMissed"));
        Instant last = lastSlot.isAfter(lastMissed) ? lastSlot : lastMissed;
        long slots = Duration.between(first, last).dividedBy(SLOT) + 1;
        assertThat(fired + missed).as("fired %d + missed %d over %d slots from %s to %s; runs %s", fired, missed,
                slots, first, last, runsPerSlot.keySet()).isEqualTo(slots);

        // The downtime held at least three slots; at most the latest of them ran, after the restart, within grace.
        List<Instant> ranWhileDown = runsPerSlot.keySet().stream()
                .filter(s -> s.isAfter(stopped) && s.isBefore(restarted)).toList();
        assertThat(ranWhileDown).hasSizeLessThanOrEqualTo(1);
        assertThat(missed).isGreaterThanOrEqualTo(2);
        assertThat(lastMissed).isAfter(stopped);

        List<?> audit = (List<?>) primary.admin.get("/api/v1/audit?limit=1000").json().get("entries");
        assertThat(audit).anySatisfy(e -> assertThat(TestPrimary.map(e))
                .containsEntry("action", "schedule-missed").containsEntry("target", "tick")
                .containsEntry("actor", "schedule:tick"));
    }

    private long fired() {
        return ((Number) schedule().get("fired")).longValue();
    }

    private Map<String, Object> schedule() {
        Http.Answer a = primary.admin.get("/api/v1/schedules/tick");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        return a.json();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> runs() {
        return (List<Map<String, Object>>) primary.admin.get("/api/v1/runs?script=tick.groovy&limit=1000").json().get("runs");
    }
}
