package io.steward.store;

/** The request clashes with what is stored, such as a token name that is already taken. Nothing changed. */
public final class StoreConflictException extends RuntimeException {

    public StoreConflictException(String message) {
        super(message);
    }
}
