package io.steward.gateway.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The answer to a push: the version the content has (a new one, or the latest when identical). */
public record ScriptPushed(String name, long version, String sha256, String language,
                           @ApiField(description = "false when the content equals the latest version") boolean created,
                           @JsonInclude(JsonInclude.Include.NON_NULL)
                           @ApiField(description = "only for _launcher.groovy: whether it loaded") Launcher launcher) {
}
