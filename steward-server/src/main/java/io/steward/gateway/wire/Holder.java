package io.steward.gateway.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Who holds or waits for a lock, a pool entry, an event or a queue's next message, and since when. */
public record Holder(@ApiField(nullable = true, description = "the run; null for a client of the API") String run,
                     @ApiField(nullable = true) String node,
                     @ApiField(nullable = true, description = "the script thread, or the client") String thread,
                     @ApiField(format = "date-time") String since,
                     @JsonInclude(JsonInclude.Include.NON_NULL) @ApiField(description = "a pool waiter's priority") Long priority) {
}
