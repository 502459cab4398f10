package io.steward.store;

import java.time.Instant;

/**
 * A lease row: who holds a piece of single-owner work, and until when.
 *
 * @param name      the work, such as {@code schedule}
 * @param holder    the id of the primary that took or last renewed it
 * @param expiresAt when it lapses unless renewed (database clock)
 * @param expired   whether it had lapsed when read, by the database's clock: another primary may take it
 */
public record LeaseRecord(String name, String holder, Instant expiresAt, boolean expired) {
}
