package io.steward.store;

/** Stored secrets that cannot be opened: sealed with another key, damaged, or no key configured. */
public final class SecretsUnavailableException extends RuntimeException {
    public SecretsUnavailableException(String message) {
        super(message);
    }
}
