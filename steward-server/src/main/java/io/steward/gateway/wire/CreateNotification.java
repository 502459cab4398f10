package io.steward.gateway.wire;

import java.util.List;

/** The body of {@code POST /api/v1/notifications}. */
public record CreateNotification(@ApiField(description = "1 to 64 letters, digits, '.', '_' or '-'") String name,
                                 @ApiField(description = "final run states it fires on, e.g. [\"FAILED\", \"TIMED_OUT\"]")
                                 List<String> states,
                                 @ApiField(optional = true, description = "only runs of this script") String script,
                                 @ApiField(optional = true, description = "POST the payload here (http or https)")
                                 String webhook,
                                 @ApiField(optional = true, description = "or run this stored script with the payload as args")
                                 String runScript) {
}
