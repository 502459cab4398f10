package io.steward.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each token was last used, kept in memory so that authenticating a request costs no store write. A token's
 * time is written when it is first used here and then at most once per {@code every}; {@link #unwritten} is what
 * the store has not seen yet, for writing at close. The exact time is always here, so lists read it from here
 * first.
 */
final class TokenUses {
    private record Use(Instant last, Instant written) {
    }

    private final Duration every;
    private final Map<String, Use> uses = new ConcurrentHashMap<>();

    TokenUses(Duration every) {
        this.every = every;
    }

    /** Records a use; {@code true} when this one is due to be written now. */
    boolean used(String name, Instant at) {
        boolean[] due = {false};
        uses.compute(name, (n, old) -> {
            if (old == null || !at.isBefore(old.written().plus(every))) {
                due[0] = true;
                return new Use(at, at);
            }
            return new Use(at.isAfter(old.last()) ? at : old.last(), old.written());
        });
        return due[0];
    }

    /** The latest use seen here, or {@code null}. */
    Instant last(String name) {
        Use use = uses.get(name);
        return use == null ? null : use.last();
    }

    /** The tokens used since their time was last written, with that time. */
    Map<String, Instant> unwritten() {
        Map<String, Instant> due = new java.util.TreeMap<>();
        uses.forEach((name, use) -> {
            if (use.last().isAfter(use.written())) {
                due.put(name, use.last());
            }
        });
        return due;
    }

    void written(String name, Instant at) {
        uses.computeIfPresent(name, (n, old) -> new Use(old.last(), at.isAfter(old.written()) ? at : old.written()));
    }

    void forget(String name) {
        uses.remove(name);
    }
}
