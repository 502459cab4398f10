package io.steward.tls;

/** A TLS file or setting that cannot be used; the message names it and says what to do. */
public final class TlsException extends RuntimeException {
    public TlsException(String message) {
        super(message);
    }

    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
