package io.steward.gateway.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Whether the launcher (the entry script every invoke goes through) loaded, and why not. */
public record Launcher(boolean loaded, @JsonInclude(JsonInclude.Include.NON_NULL) ScriptError error) {
}
