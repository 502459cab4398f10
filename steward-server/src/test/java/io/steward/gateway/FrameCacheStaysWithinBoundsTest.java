package io.steward.gateway;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared frame cache keeps to its byte budget (least recently used first) and lets go of runs nobody follows. */
class FrameCacheStaysWithinBoundsTest {
    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static FrameBlock block(long index, int bytes) {
        long[] seqs = {index * FrameBlock.SIZE + 1};
        return new FrameBlock(index, seqs[0], true, new byte[bytes], seqs, new int[]{0});
    }

    @Test
    void blocksPastTheBudgetGoLeastRecentlyUsedFirst() {
        long weight = block(0, 10_000).weight();
        EventFrameCache cache = new EventFrameCache(4 * weight, Duration.ofSeconds(30), new HandClock());
        try (var lease = cache.follow("r1"); var other = cache.follow("r2")) {
            cache.put("r1", block(0, 10_000));
            cache.put("r2", block(0, 10_000));
            cache.put("r1", block(1, 10_000));
            cache.put("r1", block(2, 10_000));
            assertThat(cache.block("r1", 0)).isNotNull();
            cache.put("r1", block(3, 10_000));

            assertThat(cache.bytes()).isLessThanOrEqualTo(4 * weight);
            assertThat(cache.block("r2", 0)).as("least recently used").isNull();
            assertThat(Arrays.asList(cache.block("r1", 0), cache.block("r1", 1), cache.block("r1", 2),
                    cache.block("r1", 3))).doesNotContainNull();
        }
    }

    @Test
    void aBlockTooBigForTheBudgetIsServedButNotKept() {
        EventFrameCache cache = new EventFrameCache(100_000, Duration.ofSeconds(30), new HandClock());
        try (var lease = cache.follow("r1")) {
            cache.put("r1", block(0, 60_000));
            assertThat(cache.block("r1", 0)).isNull();
            assertThat(cache.bytes()).isZero();
        }
    }

    @Test
    void aRunsFramesGoOnceNobodyHasFollowedItForTheIdleTime() {
        HandClock clock = new HandClock();
        EventFrameCache cache = new EventFrameCache(1 << 20, Duration.ofSeconds(30), clock);
        var first = cache.follow("r1");
        var second = cache.follow("r1");
        cache.put("r1", block(0, 1000));
        first.close();
        clock.now = clock.now.plusSeconds(60);
        cache.sweep();
        assertThat(cache.block("r1", 0)).as("one follower is still there").isNotNull();

        second.close();
        clock.now = clock.now.plusSeconds(29);
        cache.sweep();
        assertThat(cache.block("r1", 0)).as("a follower may come back within the idle time").isNotNull();

        clock.now = clock.now.plusSeconds(1);
        cache.sweep();
        assertThat(cache.block("r1", 0)).isNull();
        assertThat(cache.bytes()).isZero();
        assertThat(cache.runs()).isZero();
    }
}
