package io.steward.store;

import io.steward.coordinator.RunState;

import java.time.Instant;

/**
 * Which runs to list, newest first: optional filters, a page size, and the cursor of the previous page.
 *
 * @param state  only runs in this state, or {@code null}
 * @param script only runs of this script, or {@code null}
 * @param since  only runs created at or after this instant, or {@code null}
 * @param limit  page size, 1 to {@link #MAX_LIMIT}
 * @param cursor the {@link RunPage#next()} of the previous page, or {@code null} for the first page
 * @param node   only runs on this node, or {@code null}
 */
public record RunQuery(RunState state, String script, Instant since, int limit, String cursor, String node) {
    public static final int MAX_LIMIT = 1000;

    public RunQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        if (cursor != null && !cursor.matches("[0-9A-Za-z]{1,64}")) {
            throw new IllegalArgumentException("cursor '" + cursor + "' is not a run id: pass the 'next' of the "
                    + "previous page");
        }
    }

    public RunQuery(RunState state, String script, Instant since, int limit, String cursor) {
        this(state, script, since, limit, cursor, null);
    }

    /** The newest {@code limit} runs, unfiltered. */
    public static RunQuery newest(int limit) {
        return new RunQuery(null, null, null, limit, null, null);
    }

    public RunQuery node(String node) {
        return new RunQuery(state, script, since, limit, cursor, node);
    }

    public RunQuery state(RunState state) {
        return new RunQuery(state, script, since, limit, cursor, node);
    }

    public RunQuery script(String script) {
        return new RunQuery(state, script, since, limit, cursor, node);
    }

    public RunQuery since(Instant since) {
        return new RunQuery(state, script, since, limit, cursor, node);
    }

    /** The page after the one whose {@link RunPage#next()} is {@code cursor}. */
    public RunQuery after(String cursor) {
        return new RunQuery(state, script, since, limit, cursor, node);
    }
}
