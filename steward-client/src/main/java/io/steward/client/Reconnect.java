package io.steward.client;

import java.time.Duration;

/**
 * How a follower retries a stream that dropped: up to {@code attempts} times in a row without a new event, waiting
 * {@code first}, then twice as long each time, at most {@code max}. The defaults ride out a server restart of about
 * fifteen seconds and then give up with the last error.
 */
record Reconnect(int attempts, Duration first, Duration max) {
    static final Reconnect DEFAULT = new Reconnect(10, Duration.ofMillis(100), Duration.ofSeconds(2));

    Duration delay(int failure) {
        long ms = first.toMillis() << Math.min(failure - 1, 20);
        return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }
}
