package io.steward.cluster;

import io.steward.gateway.Http;
import io.steward.gateway.TestPrimary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two primaries in one JVM on one PostgreSQL schema, each with its own data folder and the same secret key: the
 * first takes every lease, the second idles; when the holder stops renewing (as a frozen or killed process would)
 * it stops its work by itself and the other takes every lease within seconds, while a schedule with a slot every
 * second keeps firing once per slot; runs under way on one primary survive the other's start-up, and the LOST
 * reaper gives up the runs of a primary that is gone.
 */
class TwoPrimariesShareLeasesTest {
    private static final Duration TTL = Duration.ofSeconds(3);

    @RegisterExtension
    static final PrimariesOnOneDatabase primaries = new PrimariesOnOneDatabase(TTL);

    private TestPrimary primary(String name) throws Exception {
        return primaries.primary(name);
    }

    @Test
    void theHolderFiresAlonePicksUpSchedulesAddedElsewhereAndHandsOverWithoutASlotTwice() throws Exception {
        TestPrimary a = primary("a");
        TestPrimary b = primary("b");
        Leases leasesA = a.server.cluster().leases();
        Leases leasesB = b.server.cluster().leases();
        for (String lease : Leases.ALL) {
            assertThat(leasesA.holds(lease)).as("a holds %s", lease).isTrue();
            assertThat(leasesB.holds(lease)).as("b holds %s", lease).isFalse();
        }
        assertThat(a.server.scheduler().leading()).isTrue();
        assertThat(b.server.scheduler().leading()).isFalse();

        Map<String, Object> cluster = b.admin.get("/api/v1/cluster").json();
        assertThat(cluster).containsEntry("self", b.server.cluster().self());
        List<Map<String, Object>> primaries = maps(cluster.get("primaries"));
        assertThat(primaries).extracting(p -> p.get("id"))
                .containsExactlyInAnyOrder(a.server.cluster().self(), b.server.cluster().self());
        assertThat(primaries).allSatisfy(p -> assertThat(p).containsEntry("alive", true));
        assertThat(primaries).extracting(p -> p.get("url")).containsExactlyInAnyOrder(a.server.url(), b.server.url());
        assertThat(maps(cluster.get("leases"))).extracting(l -> l.get("name") + "=" + l.get("holder"))
                .containsExactlyInAnyOrder("lost=" + a.server.cluster().self(),
                        "retention=" + a.server.cluster().self(), "schedule=" + a.server.cluster().self());

        // Added through the primary that does not fire: the holder finds it on its next re-read.
        b.push("tick.groovy", "args._schedule.slot");
        Http.Answer added = b.admin.post("/api/v1/schedules", Map.of("name", "tick", "cron", "* * * * * ?",
                "script", "tick.groovy", "grace", "1s"));
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> slots(b).size() >= 3);
        assertThat(runsOn(b)).as("b started none of them").isZero();

        // The holder freezes: no renewal, no release. It stops firing on its own once its lease is in doubt; the
        // other primary takes every lease after the TTL.
        a.server.cluster().halt();
        Instant frozen = Instant.now();
        await().atMost(TTL.plusSeconds(1)).until(() -> Leases.ALL.stream().noneMatch(leasesA::holds));
        await().atMost(TTL.multipliedBy(3)).until(() -> Leases.ALL.stream().allMatch(leasesB::holds));
        assertThat(Duration.between(frozen, Instant.now())).isLessThan(TTL.multipliedBy(3));
        assertThat(Leases.ALL.stream().noneMatch(leasesA::holds)).as("never two holders").isTrue();
        assertThat(b.server.scheduler().leading()).isTrue();
        int before = slots(b).size();
        await().atMost(Duration.ofSeconds(20)).until(() -> slots(b).size() >= before + 3);
        assertThat(runsOn(b)).as("b fires now").isPositive();

        assertThat(b.admin.post("/api/v1/schedules/tick/pause", "{}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> !"CLAIMED".equals(b.admin.get("/api/v1/schedules/tick").json().get("lastOutcome")));
        Map<String, Object> schedule = b.admin.get("/api/v1/schedules/tick").json();
        long fired = ((Number) schedule.get("fired")).longValue();
        long missed = ((Number) schedule.get("missed")).longValue();
        await().atMost(Duration.ofSeconds(10)).until(() -> slots(b).size() == fired);
        Map<Instant, Integer> perSlot = new TreeMap<>();
        slots(b).forEach(s -> perSlot.merge(s, 1, Integer::sum));
        assertThat(perSlot.values()).as("runs per slot: %s", perSlot).allMatch(n -> n == 1);
        List<Instant> ran = List.copyOf(perSlot.keySet());
        Instant last = Instant.parse((String) schedule.get("lastSlot"));
        if (schedule.get("lastMissed") != null && Instant.parse((String) schedule.get("lastMissed")).isAfter(last)) {
            last = Instant.parse((String) schedule.get("lastMissed"));
        }
        // From the schedule's first slot, the first whole second after it was added: the holder may have found it on
        // its re-read after that slot's grace, which is a miss.
        Instant first = Instant.parse((String) schedule.get("createdAt")).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .plusSeconds(1);
        long slots = Duration.between(first, last).toSeconds() + 1;
        assertThat(fired + missed).as("every slot from %s to %s a run or a miss: %s", first, last, ran)
                .isEqualTo(slots);
        for (int i = 1; i < ran.size(); i++) {
            assertThat(Duration.between(ran.get(i - 1), ran.get(i))).as("gap before %s", ran.get(i))
                    .isLessThanOrEqualTo(TTL.plusSeconds(3));
        }
    }

    @Test
    void aRunUnderWayOnOnePrimarySurvivesTheOthersStartAndIsReapedOnlyWhenItsPrimaryIsGone() throws Exception {
        TestPrimary b = primary("b");
        b.push("hold.groovy", "shared.put('ready', true); sleep(600_000)");
        String run = (String) b.admin.post("/api/v1/runs", Map.of("script", "hold.groovy")).json().get("id");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                Boolean.TRUE.equals(TestPrimary.map(b.admin.get("/api/v1/runs/" + run).json().get("shared")).get("ready")));

        TestPrimary a = primary("a");
        assertThat(a.server.lostAtStart()).isZero();
        assertThat(a.admin.get("/api/v1/runs/" + run).json()).containsEntry("state", "RUNNING");
        assertThat(a.server.cluster().reapNow()).as("a holds no lost lease yet").isZero();

        // b goes silent: a takes the leases, and once b is unseen for the TTL plus the agents' grace its run is LOST.
        b.server.cluster().halt();
        await().atMost(TTL.multipliedBy(3)).until(() -> a.server.cluster().leases().holds(Leases.LOST));
        assertThat(a.admin.get("/api/v1/runs/" + run).json()).containsEntry("state", "RUNNING");
        await().atMost(TTL.multipliedBy(3).plusSeconds(5)).until(() ->
                "LOST".equals(a.admin.get("/api/v1/runs/" + run).json().get("state")));
        assertThat(TestPrimary.map(a.admin.get("/api/v1/runs/" + run).json().get("error")).get("message").toString())
                .contains(b.server.cluster().self());
    }

    @Test
    void aRestartedPrimaryMarksOnlyItsOwnRunsLost() throws Exception {
        TestPrimary b = primary("b");
        TestPrimary a = primary("a");
        b.push("hold.groovy", "shared.put('ready', true); sleep(600_000)");
        String onB = (String) b.admin.post("/api/v1/runs", Map.of("script", "hold.groovy")).json().get("id");
        String onA = (String) a.admin.post("/api/v1/runs", Map.of("script", "hold.groovy")).json().get("id");
        for (TestPrimary p : List.of(a, b)) {
            String run = p == a ? onA : onB;
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    Boolean.TRUE.equals(TestPrimary.map(p.admin.get("/api/v1/runs/" + run).json().get("shared")).get("ready")));
        }
        // Its row in the store says RUNNING before the primary goes.
        await().atMost(Duration.ofSeconds(10)).until(() -> b.server.store().runs().get(onA)
                .map(r -> r.state() == io.steward.coordinator.RunState.RUNNING).orElse(false));
        // a dies without closing anything (its run stays RUNNING in the store), then starts again on its data folder.
        a.server.cluster().halt();
        TestPrimary again = primary("a");
        assertThat(again.server.cluster().self()).isEqualTo(a.server.cluster().self());
        assertThat(again.server.lostAtStart()).isEqualTo(1);
        assertThat(b.admin.get("/api/v1/runs/" + onA).json()).containsEntry("state", "LOST");
        assertThat(b.admin.get("/api/v1/runs/" + onB).json()).containsEntry("state", "RUNNING");
    }

    /** The slots of the tick schedule's runs, as the runs' args record them (with duplicates, if any). */
    private static List<Instant> slots(TestPrimary p) {
        List<Instant> slots = new ArrayList<>();
        for (Map<String, Object> run : maps(p.admin.get("/api/v1/runs?script=tick.groovy&limit=1000").json().get("runs"))) {
            slots.add(Instant.parse((String) TestPrimary.map(TestPrimary.map(run.get("args")).get("_schedule")).get("slot")));
        }
        return slots;
    }

    /** How many tick runs the store says primary {@code p} started. */
    private static long runsOn(TestPrimary p) {
        return p.server.store().runs().list(io.steward.store.RunQuery.newest(1000).script("tick.groovy")).runs().stream()
                .filter(r -> p.server.coordinator().node().name().equals(r.node())).count();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object value) {
        return (List<Map<String, Object>>) value;
    }
}
