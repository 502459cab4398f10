package io.steward.gateway.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/** One version of a stored script without its source, as lists and histories show it. */
public record ScriptVersion(String name, long version,
                            @ApiField(description = "groovy or js, from the name's extension") String language,
                            String sha256, String author,
                            @ApiField(format = "date-time") String createdAt,
                            @JsonInclude(JsonInclude.Include.NON_NULL)
                            @ApiField(format = "date-time", description = "present once the script is deleted")
                            String deletedAt,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String deletedBy) {

    public static ScriptVersion of(Map<String, ?> version) {
        return Wire.from(version, ScriptVersion.class);
    }
}
