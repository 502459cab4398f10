package io.steward.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The schedule store's contract, on every backend (subclasses give a fresh database): schedules are stored and read
 * back as given, a name is taken once, and a slot is claimed at most once, by a compare-and-set that pausing,
 * removing and racing claimers all respect, across a reopen too.
 */
abstract class ScheduleStoreContractTest {
    static final Instant T0 = Instant.parse("2026-12-06T02:00:00Z");

    Store store;
    private StoreConfig.Builder configured;

    abstract StoreConfig.Builder database();

    @BeforeEach
    void openStore() {
        configured = database().languages(StoreContractTest.LANGUAGES).pruneEvery(null);
        store = Store.open(configured.build());
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    private void reopen() {
        store.close();
        store = Store.open(configured.build());
    }

    static ScheduleRecord schedule(String name, Instant next) {
        return new ScheduleRecord(name, "0 2 * * *", "Europe/Berlin", "ops/backup.groovy", "role=db",
                Map.of("keep", 7L, "tags", List.of("a", "b")), Duration.ofSeconds(60), false, next, null, null, null,
                null, 0, 0, null, T0.minusSeconds(3600), "alice");
    }

    @Test
    void aScheduleIsStoredAsGivenListedByNameAndRemoved() {
        ScheduleStore schedules = store.schedules();
        ScheduleRecord created = schedules.create(schedule("nightly", T0));
        assertThat(created).isEqualTo(schedule("nightly", T0));
        schedules.create(schedule("a-first", T0.plusSeconds(5)));
        assertThat(schedules.list()).extracting(ScheduleRecord::name).containsExactly("a-first", "nightly");
        reopen();
        assertThat(store.schedules().get("nightly")).contains(schedule("nightly", T0));
        assertThat(store.schedules().delete("nightly")).isTrue();
        assertThat(store.schedules().delete("nightly")).isFalse();
        assertThat(store.schedules().get("nightly")).isEmpty();
    }

    @Test
    void aTakenNameOrABadOneIsRefusedAndStoresNothing() {
        store.schedules().create(schedule("nightly", T0));
        assertThatThrownBy(() -> store.schedules().create(schedule("nightly", T0.plusSeconds(60))))
                .isInstanceOf(StoreConflictException.class).hasMessageContaining("'nightly' already exists");
        for (String bad : new String[]{"../x", "a/b", "nul\u0000", "", ".hidden", "x".repeat(65)}) {
            assertThatThrownBy(() -> store.schedules().create(schedule(bad, T0)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schedule name");
        }
        assertThat(store.schedules().list()).extracting(ScheduleRecord::name).containsExactly("nightly");
        assertThat(store.schedules().get("nightly").orElseThrow().nextSlot()).isEqualTo(T0);
    }

    @Test
    void aSlotIsClaimedOnceAndTheClaimRecordsItsRunBeforeItStarts() {
        ScheduleStore schedules = store.schedules();
        schedules.create(schedule("nightly", T0));
        Instant next = T0.plus(Duration.ofDays(1));
        ScheduleClaim claim = new ScheduleClaim("nightly", T0, T0, "RUN1", next, 0, null);
        assertThat(schedules.claim(List.of(claim))).containsExactly(claim);
        assertThat(schedules.claim(List.of(new ScheduleClaim("nightly", T0, T0, "RUN2", next, 0, null))))
                .as("the same slot again").isEmpty();
        ScheduleRecord claimed = schedules.get("nightly").orElseThrow();
        assertThat(claimed.nextSlot()).isEqualTo(next);
        assertThat(claimed.lastSlot()).isEqualTo(T0);
        assertThat(claimed.lastRun()).isEqualTo("RUN1");
        assertThat(claimed.lastOutcome()).isEqualTo("CLAIMED");
        assertThat(claimed.fired()).isZero();

        schedules.record(List.of(new ScheduleOutcome("nightly", "RUN1", T0, null)));
        assertThat(schedules.get("nightly").orElseThrow()).extracting(ScheduleRecord::lastOutcome, ScheduleRecord::fired)
                .containsExactly("STARTED", 1L);
        schedules.record(List.of(new ScheduleOutcome("nightly", "RUN1", T0, null)));
        assertThat(schedules.get("nightly").orElseThrow().fired()).as("an outcome counts once").isEqualTo(1);

        // Two slots late: the older is missed, the newer claimed; then its run cannot start.
        Instant third = next.plus(Duration.ofDays(1));
        Instant fourth = third.plus(Duration.ofDays(1));
        schedules.claim(List.of(new ScheduleClaim("nightly", next, third, "RUN3", fourth, 1, next)));
        schedules.record(List.of(new ScheduleOutcome("nightly", "RUN3", third, "no node matches role=db")));
        ScheduleRecord failed = schedules.get("nightly").orElseThrow();
        assertThat(failed.missed()).isEqualTo(2);
        assertThat(failed.lastMissed()).isEqualTo(third);
        assertThat(failed.lastOutcome()).isEqualTo("FAILED");
        assertThat(failed.lastError()).isEqualTo("no node matches role=db");
        assertThat(failed.fired()).isEqualTo(1);

        // Every due slot missed: nothing claimed to run, the count and the latest recorded.
        Instant sixth = fourth.plus(Duration.ofDays(2));
        assertThat(schedules.claim(List.of(new ScheduleClaim("nightly", fourth, null, null, sixth, 2, fourth.plus(Duration.ofDays(1))))))
                .hasSize(1);
        ScheduleRecord missed = schedules.get("nightly").orElseThrow();
        assertThat(missed.missed()).isEqualTo(4);
        assertThat(missed.lastMissed()).isEqualTo(fourth.plus(Duration.ofDays(1)));
        assertThat(missed.nextSlot()).isEqualTo(sixth);
        assertThat(missed.lastRun()).isEqualTo("RUN3");
    }

    @Test
    void pausedAndRemovedSchedulesCannotBeClaimedAndResumeStartsAfresh() {
        ScheduleStore schedules = store.schedules();
        schedules.create(schedule("nightly", T0));
        assertThat(schedules.pause("nightly").orElseThrow()).extracting(ScheduleRecord::paused, ScheduleRecord::nextSlot)
                .containsExactly(true, null);
        assertThat(schedules.claim(List.of(new ScheduleClaim("nightly", T0, T0, "R", T0.plusSeconds(60), 0, null)))).isEmpty();
        Instant later = T0.plus(Duration.ofDays(3));
        assertThat(schedules.resume("nightly", later).orElseThrow()).extracting(ScheduleRecord::paused, ScheduleRecord::nextSlot)
                .containsExactly(false, later);
        assertThat(schedules.resume("nightly", T0).orElseThrow().nextSlot()).as("resuming a running one changes nothing")
                .isEqualTo(later);
        assertThat(schedules.get("nightly").orElseThrow().missed()).isZero();
        assertThat(schedules.pause("nope")).isEmpty();
        assertThat(schedules.resume("nope", later)).isEmpty();
        schedules.delete("nightly");
        assertThat(schedules.claim(List.of(new ScheduleClaim("nightly", later, later, "R", null, 0, null)))).isEmpty();
    }

    @Test
    void racingClaimersOfOneSlotHaveExactlyOneWinner() throws Exception {
        ScheduleStore schedules = store.schedules();
        for (int i = 0; i < 20; i++) {
            schedules.create(schedule("s" + i, T0));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<ScheduleClaim>>> claimers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String runPrefix = "T" + t + "-";
                Callable<List<ScheduleClaim>> claimer = () -> {
                    List<ScheduleClaim> claims = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        claims.add(new ScheduleClaim("s" + i, T0, T0, runPrefix + i, T0.plusSeconds(60), 0, null));
                    }
                    return schedules.claim(claims);
                };
                claimers.add(pool.submit(claimer));
            }
            List<ScheduleClaim> won = new ArrayList<>();
            for (Future<List<ScheduleClaim>> f : claimers) {
                try {
                    won.addAll(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    // A backend may abort a transaction that deadlocks with another: it then claimed nothing.
                    assertThat(e.getCause()).isInstanceOf(StoreException.class);
                }
            }
            assertThat(won).extracting(ScheduleClaim::name).doesNotHaveDuplicates();
            for (int i = 0; i < 20; i++) {
                ScheduleRecord s = schedules.get("s" + i).orElseThrow();
                List<ScheduleClaim> mine = won.stream().filter(k -> k.name().equals(s.name())).toList();
                assertThat(mine).as(s.name()).hasSizeLessThanOrEqualTo(1);
                if (mine.isEmpty()) {
                    assertThat(s.nextSlot()).isEqualTo(T0);
                } else {
                    assertThat(s.lastRun()).isEqualTo(mine.getFirst().runId());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClaimLeftByACrashIsSettledAtTheNextStart() throws SQLException {
        ScheduleStore schedules = store.schedules();
        schedules.create(schedule("stored", T0));
        schedules.create(schedule("vanished", T0));
        Instant next = T0.plusSeconds(60);
        schedules.claim(List.of(new ScheduleClaim("stored", T0, T0, "RUN-STORED", next, 0, null),
                new ScheduleClaim("vanished", T0, T0, "RUN-VANISHED", next, 0, null)));
        try (Connection c = DriverManager.getConnection(store.config().jdbcUrl(), store.config().user(), store.config().password());
             PreparedStatement ps = c.prepareStatement("INSERT INTO runs (id, script, version, state, args, created_at) "
                     + "VALUES ('RUN-STORED', 'ops/backup.groovy', 1, 'LOST', '{}', ?)")) {
            ps.setObject(1, OffsetDateTime.ofInstant(T0, ZoneOffset.UTC));
            ps.executeUpdate();
        }
        reopen();
        List<ScheduleOutcome> missed = store.schedules().recoverClaims();
        assertThat(missed).extracting(ScheduleOutcome::name).containsExactly("vanished");
        assertThat(missed.getFirst().error()).contains("stopped after claiming");
        assertThat(store.schedules().get("stored").orElseThrow()).extracting(ScheduleRecord::lastOutcome,
                ScheduleRecord::fired, ScheduleRecord::missed).containsExactly("STARTED", 1L, 0L);
        assertThat(store.schedules().get("vanished").orElseThrow()).extracting(ScheduleRecord::lastOutcome,
                ScheduleRecord::fired, ScheduleRecord::missed, ScheduleRecord::lastMissed)
                .containsExactly("FAILED", 0L, 1L, T0);
        assertThat(store.schedules().recoverClaims()).as("settled once").isEmpty();
    }
}
