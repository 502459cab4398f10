package io.steward.store;

import java.sql.SQLException;

/**
 * The database failed (unreachable, full, broken): not the caller's fault, and nothing the caller can fix by
 * changing its input. Bad input is an {@link IllegalArgumentException} instead, thrown before anything changes.
 */
public final class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    StoreException(SQLException cause) {
        super("store: " + cause.getMessage(), cause);
    }
}
