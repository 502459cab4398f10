package io.steward.store;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How often a run is tried and how long to wait between tries: {@code attempts} in all (the first included), the
 * first retry {@code backoff} after the failed attempt ended, each later one {@code factor} times longer than the
 * one before, never longer than {@code maxBackoff} (when given). A factor of 1 is a fixed delay.
 *
 * @throws IllegalArgumentException (from the constructor) naming the wrong value and what it may be
 */
public record RetryPolicy(int attempts, Duration backoff, double factor, Duration maxBackoff) {
    /** More would be a loop, not a retry policy. */
    public static final int MAX_ATTEMPTS = 100;

    public RetryPolicy {
        if (attempts < 1 || attempts > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("retry attempts must be from 1 to " + MAX_ATTEMPTS
                    + " (the first attempt included), not " + attempts);
        }
        if (backoff == null) {
            backoff = Duration.ZERO;
        }
        if (backoff.isNegative()) {
            throw new IllegalArgumentException("retry backoff must be 0 or more, such as 2s, not " + backoff);
        }
        if (!(factor >= 1 && factor <= 100)) {
            throw new IllegalArgumentException("retry factor must be from 1 (a fixed backoff) to 100, not " + factor);
        }
        if (maxBackoff != null && maxBackoff.compareTo(backoff) < 0) {
            throw new IllegalArgumentException("retry maxBackoff (" + maxBackoff.toMillis() + "ms) must not be shorter "
                    + "than the backoff (" + backoff.toMillis() + "ms)");
        }
    }

    /** The wait after attempt {@code attempt - 1} ended and before attempt {@code attempt} (2 or more) starts. */
    public Duration delayBefore(int attempt) {
        double ms = backoff.toMillis() * Math.pow(factor, Math.max(0, attempt - 2));
        long capped = maxBackoff == null ? (long) Math.min(ms, Long.MAX_VALUE / 2) : (long) Math.min(ms, maxBackoff.toMillis());
        return Duration.ofMillis(capped);
    }

    /** The API's form: {@code attempts, backoffMs, factor, maxBackoffMs}. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("attempts", (long) attempts);
        map.put("backoffMs", backoff.toMillis());
        map.put("factor", factor);
        map.put("maxBackoffMs", maxBackoff == null ? null : maxBackoff.toMillis());
        return map;
    }
}
