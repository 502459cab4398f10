package io.steward.gateway;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** Says in a few words why the store failed, for a 503's message: without SQL, table names or stack traces. */
final class StoreFailures {
    private StoreFailures() {
    }

    static String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.contains("No space left on device") || message.contains("disk full")
                    || t instanceof SQLException sql && "53100".equals(sql.getSQLState())) {
                return "the database's disk is full";
            }
            if (t instanceof SQLTransientConnectionException || t instanceof java.net.SocketTimeoutException
                    || message.contains("timed out") || message.contains("Connection is not available")) {
                return "the database did not answer in time";
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return "the database cannot be reached";
            }
        }
        return "the database failed";
    }
}
