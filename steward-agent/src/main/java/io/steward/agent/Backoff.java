package io.steward.agent;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: the n-th wait is uniform in {@code [0, min(max, initial * 2^n)]}.
 * Full jitter (rather than a fixed delay plus a little noise) is what spreads a thousand agents apart after the
 * primary restarts, so they do not all knock at once. Not thread-safe: the link's one thread owns it.
 */
final class Backoff {
    private final long initialMs;
    private final long maxMs;
    private final RandomGenerator random;
    private int attempt;

    Backoff(Duration initial, Duration max, RandomGenerator random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, was " + initial + " and " + max);
        }
        this.initialMs = initial.toMillis();
        this.maxMs = max.toMillis();
        this.random = random;
    }

    /** The ceiling of the next wait, before jitter. */
    long ceilingMs() {
        // the shift stops growing long before it could overflow
        long grown = initialMs << Math.min(attempt, 30);
        return grown <= 0 ? maxMs : Math.min(maxMs, grown);
    }

    /** The next wait; each call doubles the ceiling until it reaches the maximum. */
    Duration next() {
        long ceiling = ceilingMs();
        attempt++;
        return Duration.ofMillis(random.nextLong(ceiling + 1));
    }

    /** After a successful join: the next failure starts small again. */
    void reset() {
        attempt = 0;
    }
}
