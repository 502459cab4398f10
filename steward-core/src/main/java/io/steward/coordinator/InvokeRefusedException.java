package io.steward.coordinator;

/** The launcher declined an invoke request (it called {@code refuse(reason)}). Nothing was started. */
public final class InvokeRefusedException extends RuntimeException {
    public InvokeRefusedException(String message) {
        super(message);
    }
}
