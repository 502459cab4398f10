package io.steward.gateway.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/** {@code GET /api/v1/scripts/{name}}: one version of a script with its source. */
public record Script(String name, long version, String language, String sha256, String author,
                     @ApiField(format = "date-time") String createdAt,
                     @JsonInclude(JsonInclude.Include.NON_NULL) @ApiField(format = "date-time") String deletedAt,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String deletedBy,
                     String source, boolean deleted) {

    public static Script of(Map<String, ?> script) {
        return Wire.from(script, Script.class);
    }
}
