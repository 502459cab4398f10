package io.steward.store;

import java.time.Instant;
import java.util.List;

/**
 * One primary of those sharing the database, as its row in {@code primaries} says.
 *
 * @param id         its id ({@code primary.id} in its data folder)
 * @param url        the URL its API answers on, or {@code null}
 * @param startedAt  when it last started (database clock)
 * @param seenAt     when it last refreshed its row (database clock)
 * @param alive      whether it refreshed its row within the TTL asked for, by the database's clock
 * @param agents     how many agents had a link open to it at its last refresh
 * @param agentNames their names, sorted
 */
public record PrimaryRecord(String id, String url, Instant startedAt, Instant seenAt, boolean alive, int agents,
                            List<String> agentNames) {
    public PrimaryRecord {
        agentNames = agentNames == null ? List.of() : List.copyOf(agentNames);
    }
}
