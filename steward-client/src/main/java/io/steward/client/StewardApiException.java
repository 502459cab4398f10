package io.steward.client;

/**
 * A call to the Steward server that did not succeed: either the server answered with an error (its HTTP status and
 * the {@code code}, {@code message} and {@code details} of its JSON error body), or there was no answer at all, in
 * which case {@link #status()} is 0 and {@link #code()} says why ({@link #UNREACHABLE}, {@link #TIMEOUT},
 * {@link #IO_ERROR}, {@link #INTERRUPTED}).
 *
 * <p>Unchecked, because every method of the client can fail this way and scripts (Groovy, JavaScript) that use the
 * client have no checked exceptions anyway. The message is meant for people: it names the cause and, where there is
 * one, the fix.
 */
public final class StewardApiException extends RuntimeException {
    /** No connection could be made: refused, unknown host, connect timeout. */
    public static final String UNREACHABLE = "unreachable";
    /** Connected, but no answer came in time. */
    public static final String TIMEOUT = "timeout";
    /** The connection broke while a request or answer was under way. */
    public static final String IO_ERROR = "io_error";
    /** The calling thread was interrupted; its interrupt flag is set again. */
    public static final String INTERRUPTED = "interrupted";
    /** The server answered something that is not the JSON docs/api.md promises. */
    public static final String BAD_RESPONSE = "bad_response";

    private final int status;
    private final String code;
    private final transient Object details;

    public StewardApiException(int status, String code, String message, Object details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details;
    }

    StewardApiException(int status, String code, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
        this.details = null;
    }

    /** The HTTP status, or 0 when the server gave no answer. */
    public int status() {
        return status;
    }

    /** The error code of docs/api.md ({@code not_found}, {@code conflict}, …) or one of the constants above. */
    public String code() {
        return code;
    }

    /** The {@code details} of the error body (a compile error's {@code {script, line, column, message}}), or null. */
    public Object details() {
        return details;
    }

    /** Whether trying again later may help: there was no answer, and not because the caller was interrupted. */
    public boolean noAnswer() {
        return status == 0 && !INTERRUPTED.equals(code);
    }
}
