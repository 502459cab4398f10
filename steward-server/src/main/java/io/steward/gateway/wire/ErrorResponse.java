package io.steward.gateway.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Every error the API answers, with its HTTP status: {@code {"error": {"code", "message", "details"?}}}. */
@SchemaName("Error")
public record ErrorResponse(ErrorBody error) {
    public ErrorResponse(String code, String message, Object details) {
        this(new ErrorBody(code, message, details));
    }

    /** What went wrong: a stable code for programs, a message for people, and details where there are some. */
    @SchemaName("ErrorBody")
    public record ErrorBody(@ApiField(description = "bad_request, unauthorized, forbidden, not_found, conflict, ...")
                            String code,
                            String message,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Object details) {
    }
}
