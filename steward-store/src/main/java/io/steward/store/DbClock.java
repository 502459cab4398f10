package io.steward.store;

import java.time.Duration;

/**
 * SQL for times measured by the database's clock, so that several primaries compare expiries against one clock
 * whatever their own clocks say. H2 and PostgreSQL spell "now minus an interval" differently; the amounts are
 * durations from our own configuration, written as integer literals, never text from a request.
 */
final class DbClock {
    private DbClock() {
    }

    /** {@code CURRENT_TIMESTAMP} plus {@code amount} (negative for before), as an SQL expression. */
    static String nowPlus(boolean postgres, Duration amount) {
        long millis = amount.toMillis();
        return postgres
                ? "(CURRENT_TIMESTAMP + INTERVAL '" + millis + " milliseconds')"
                : "DATEADD(MILLISECOND, " + millis + ", CURRENT_TIMESTAMP)";
    }
}
