package io.steward.agent;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    @Test
    void theCeilingDoublesFromHalfASecondToThirtySeconds() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new SplittableRandom(1));
        long[] ceilings = new long[10];
        for (int i = 0; i < ceilings.length; i++) {
            ceilings[i] = backoff.ceilingMs();
            backoff.next();
        }
        assertThat(ceilings).containsExactly(500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000);
        for (int i = 0; i < 100; i++) {
            backoff.next(); // far past any overflow of the doubling
        }
        assertThat(backoff.ceilingMs()).isEqualTo(30000);
        backoff.reset();
        assertThat(backoff.ceilingMs()).isEqualTo(500);
    }

    @Test
    void eachWaitIsJitteredOverTheWholeRangeUpToTheCeiling() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new SplittableRandom(7));
        for (int i = 0; i < 8; i++) {
            backoff.next();
        }
        Set<Long> waits = new HashSet<>();
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 1000; i++) {
            long wait = backoff.next().toMillis();
            waits.add(wait);
            min = Math.min(min, wait);
            max = Math.max(max, wait);
        }
        assertThat(min).isGreaterThanOrEqualTo(0).isLessThan(3000);   // full jitter: near zero too
        assertThat(max).isLessThanOrEqualTo(30000).isGreaterThan(27000);
        assertThat(waits.size()).isGreaterThan(900);
    }

    @Test
    void twoAgentsFailingTogetherWaitDifferently() {
        Backoff a = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new SplittableRandom(1));
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new SplittableRandom(2));
        int same = 0;
        for (int i = 0; i < 10; i++) {
            if (a.next().equals(b.next())) {
                same++;
            }
        }
        assertThat(same).isLessThan(3);
    }
}
