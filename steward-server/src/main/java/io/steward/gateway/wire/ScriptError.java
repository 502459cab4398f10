package io.steward.gateway.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Where and why a script failed; line and column are 0 where unknown. */
public record ScriptError(String script, long line,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Long column,
                          String message) {
}
