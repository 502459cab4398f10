package io.steward.gateway;

/**
 * An error answered as {@code {"error": {"code", "message", "details"}}} with an HTTP status. Thrown by routes;
 * {@link ErrorResponses} turns it (and the known exceptions of the other components) into the response.
 */
final class ApiError extends RuntimeException {
    final int status;
    final String code;
    final transient Object details;

    ApiError(int status, String code, String message, Object details) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = details;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, "bad_request", message, null);
    }

    static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message, null);
    }

    static ApiError forbidden(String message) {
        return new ApiError(403, "forbidden", message, null);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message, null);
    }

    static ApiError conflict(String message) {
        return new ApiError(409, "conflict", message, null);
    }

    /** 503: something the request needs is unreachable now, and retrying later may succeed. */
    static ApiError unavailable(String code, String message) {
        return new ApiError(503, code, message, null);
    }

    /** 413 for a request body over {@code --max-body}; {@code details} as {@link Refusal#details}. */
    static ApiError tooLarge(String message, Object details) {
        return new ApiError(413, "payload_too_large", message, details);
    }
}
