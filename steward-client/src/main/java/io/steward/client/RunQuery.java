package io.steward.client;

import java.time.Instant;

/**
 * Filters of {@link StewardClient#runs}; null means "any". Start from {@link #all()} and narrow it:
 * {@code RunQuery.all().state("FAILED").limit(10)}.
 */
public record RunQuery(String state, String script, Instant since, Integer limit, String cursor) {

    public static RunQuery all() {
        return new RunQuery(null, null, null, null, null);
    }

    public RunQuery state(String state) {
        return new RunQuery(state, script, since, limit, cursor);
    }

    public RunQuery script(String script) {
        return new RunQuery(state, script, since, limit, cursor);
    }

    public RunQuery since(Instant since) {
        return new RunQuery(state, script, since, limit, cursor);
    }

    public RunQuery limit(Integer limit) {
        return new RunQuery(state, script, since, limit, cursor);
    }

    /** The {@code next} of a previous {@link RunPage}, for the page after it. */
    public RunQuery cursor(String cursor) {
        return new RunQuery(state, script, since, limit, cursor);
    }
}
