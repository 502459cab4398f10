package io.steward.nodes;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each status poll went out, so that an agent's answer (which echoes its {@code pollId}) tells how long the
 * round trip took. Every agent answers the same poll, so an id is kept until it is a minute old, not until its
 * first answer; a poll is sent every few seconds, so this holds a few dozen entries.
 */
final class PollClock {
    private static final long KEEP = Duration.ofMinutes(1).toNanos();

    private final Map<String, Long> sent = new ConcurrentHashMap<>();

    /** A new poll id, its send time noted. */
    String next(String prefix) {
        long now = System.nanoTime();
        for (Iterator<Long> it = sent.values().iterator(); it.hasNext(); ) {
            if (now - it.next() > KEEP) {
                it.remove();
            }
        }
        String id = prefix + "-" + now;
        sent.put(id, now);
        return id;
    }

    /** How long ago the poll {@code id} was sent, or {@code null} for an id this clock did not give out. */
    Duration since(Object id) {
        Long at = id instanceof String s ? sent.get(s) : null;
        return at == null ? null : Duration.ofNanos(System.nanoTime() - at);
    }
}
