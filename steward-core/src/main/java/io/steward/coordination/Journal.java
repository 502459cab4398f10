package io.steward.coordination;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where {@link Coordination} writes what a restart must not lose, before the change takes effect: a write that fails
 * throws, and the change does not happen. Values are JSON-compatible (see {@link io.steward.engine.JsonValues}); the
 * store serialises them. The primary's store implements this on H2 and PostgreSQL; {@link #inMemory()} keeps nothing
 * (a script run without a primary).
 */
public interface Journal {

    /** A variable as stored; {@code expiresAt} epoch milliseconds, or null for no TTL. */
    record StoredVar(String scope, String name, Object value, long version, Long expiresAt) {
    }

    /** A queued message; {@code id}s grow in put order within a queue. */
    record StoredMessage(String queue, long id, Object value) {
    }

    /** An entry of a resource pool, with its value (a JSON value describing it, or null). */
    record StoredEntry(String pool, String entry, Object value) {
    }

    List<StoredVar> vars();

    void putVar(StoredVar var);

    void removeVar(String scope, String name);

    List<StoredMessage> messages();

    /** Stores a message at the end of a queue; returns its id. */
    long putMessage(String queue, Object value);

    /** Removes a message that was handed to a taker: from here on it is delivered. */
    void takeMessage(String queue, long id);

    List<StoredEntry> entries();

    void putEntry(StoredEntry entry);

    void removeEntry(String pool, String entry);

    /** The event semaphores that are posted. */
    Set<String> postedEvents();

    void eventState(String name, boolean posted);

    /** Keeps nothing: state lives as long as the JVM. */
    static Journal inMemory() {
        AtomicLong ids = new AtomicLong();
        return new Journal() {
            @Override
            public List<StoredVar> vars() {
                return List.of();
            }

            @Override
            public void putVar(StoredVar var) {
            }

            @Override
            public void removeVar(String scope, String name) {
            }

            @Override
            public List<StoredMessage> messages() {
                return List.of();
            }

            @Override
            public long putMessage(String queue, Object value) {
                return ids.incrementAndGet();
            }

            @Override
            public void takeMessage(String queue, long id) {
            }

            @Override
            public List<StoredEntry> entries() {
                return List.of();
            }

            @Override
            public void putEntry(StoredEntry entry) {
            }

            @Override
            public void removeEntry(String pool, String entry) {
            }

            @Override
            public Set<String> postedEvents() {
                return Set.of();
            }

            @Override
            public void eventState(String name, boolean posted) {
            }
        };
    }
}
