package io.steward.schedule;

import io.steward.store.ScheduleClaim;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The misfire rule, checked on random walks: a schedule is stepped from random moments (as if the primary woke up
 * late, or came back after a downtime) and after every step the slots it handled are exactly the slots of the
 * expression from its first to its next one, each once, run only when it was the latest due and within grace.
 */
class SlotStepIsTheMisfireRuleTest {
    private static final String[] CRONS = {"*/2 * * * * ?", "*/7 * * * * ?", "0 * * * * ?", "*/5 * * * *",
            "0 9-17 * * MON-FRI", "15,45 * * * * ?", "0 0 * * *"};

    @Test
    void everySlotIsRunOrMissedExactlyOnceAndOnlyTheLatestWithinGraceRuns() {
        long seed = System.nanoTime();
        System.out.println("SlotStepIsTheMisfireRuleTest seed " + seed);
        Random random = new Random(seed);
        for (int walk = 0; walk < 50; walk++) {
            String cron = CRONS[random.nextInt(CRONS.length)];
            String zone = random.nextBoolean() ? "UTC" : "Europe/Berlin";
            CronSlots slots = CronSlots.parse(cron, zone);
            Duration grace = Duration.ofSeconds(1 + random.nextInt(120));
            Instant now = Instant.parse("2026-03-28T20:00:00Z").plusSeconds(random.nextInt(86_400)); // across a DST change
            Instant next = slots.firstAfter(now);
            AtomicInteger ids = new AtomicInteger();
            for (int step = 0; step < 40; step++) {
                // Wake up a little after the slot, or much later (a downtime of up to half an hour).
                long late = random.nextInt(4) == 0 ? random.nextInt(1_800_000) : random.nextInt(1500);
                now = next.plusMillis(late);
                ScheduleClaim k = SlotStep.step("s", slots, next, random.nextBoolean() ? null : slots.after(next), now, grace, () -> "R" + ids.incrementAndGet());
                String where = "seed " + seed + " walk " + walk + " step " + step + " " + cron + " " + zone + " " + k;
                long due = count(slots, next, now);
                Instant latestDue = latest(slots, next, now);
                assertThat(k.expected()).as(where).isEqualTo(next);
                assertThat(k.next()).as(where).isEqualTo(slots.after(latestDue).orElse(null));
                assertThat(k.next()).as(where).isAfter(now);
                boolean shouldRun = !Duration.between(latestDue, now).minus(grace).isPositive();
                if (shouldRun) {
                    assertThat(k.slot()).as(where).isEqualTo(latestDue);
                    assertThat(k.runId()).as(where).isNotNull();
                    assertThat(k.missed()).as(where).isEqualTo(due - 1);
                } else {
                    assertThat(k.slot()).as(where).isNull();
                    assertThat(k.missed()).as(where).isEqualTo(due);
                    assertThat(k.lastMissed()).as(where).isEqualTo(latestDue);
                }
                if (k.missed() > 0) {
                    assertThat(k.lastMissed()).as(where).isBefore(k.next()).isAfterOrEqualTo(next);
                }
                // The step handled every slot from where it stood up to its new next slot, each once.
                assertThat((k.slot() == null ? 0 : 1) + k.missed()).as(where).isEqualTo(count(slots, next, k.next().minusSeconds(1)));
                next = k.next();
            }
        }
    }

    @Test
    void aSlotThatIsNotDueYetIsAMistake() {
        CronSlots slots = CronSlots.parse("*/2 * * * * ?", null);
        Instant slot = Instant.parse("2026-12-06T00:00:02Z");
        assertThatThrownBy(() -> SlotStep.step("s", slots, slot, null, slot.minusMillis(1), Duration.ofSeconds(1), () -> "R"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The slots in [from, to], counted the slow way. */
    private static long count(CronSlots slots, Instant from, Instant to) {
        long n = 0;
        for (Instant s = from; s != null && !s.isAfter(to); s = slots.after(s).orElse(null)) {
            n++;
        }
        return n;
    }

    private static Instant latest(CronSlots slots, Instant from, Instant to) {
        Instant latest = from;
        for (Instant s = from; s != null && !s.isAfter(to); s = slots.after(s).orElse(null)) {
            latest = s;
        }
        return latest;
    }
}
