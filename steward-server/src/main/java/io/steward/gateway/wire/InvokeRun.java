package io.steward.gateway.wire;

import java.util.Map;

/** The body of {@code POST /api/v1/runs}. */
public record InvokeRun(@ApiField(description = "the stored script to run") String script,
                        @ApiField(optional = true, description = "a version of the script; the latest when 0 or absent")
                        Integer version,
                        @ApiField(optional = true, description = "the script's args") Map<String, Object> args,
                        @ApiField(optional = true, types = {"string", "integer"},
                                description = "a duration such as \"30s\" or milliseconds") Object timeout,
                        @ApiField(optional = true, description = "a node selector (name, role=web, all): fan out")
                        String on,
                        @ApiField(optional = true, description = "how many children run at once; 0 for all")
                        Integer parallel,
                        @ApiField(optional = true, description = "cancel the other children when one fails")
                        Boolean failFast,
                        @ApiField(optional = true, description = "a selector that matches no node is not an error")
                        Boolean allowEmpty,
                        @ApiField(optional = true, description = "retry a run that ends FAILED, TIMED_OUT or LOST; "
                                + "{\"attempts\": 1} for none even when the script's policy has retries")
                        RetrySpec retry,
                        @ApiField(optional = true, description = "args the script sees like the others but nobody "
                                + "else does: stored sealed, shown as \"***\" in the run, its events and output")
                        Map<String, Object> secretArgs) {
}
