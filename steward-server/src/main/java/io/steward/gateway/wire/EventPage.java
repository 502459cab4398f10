package io.steward.gateway.wire;

import java.util.List;

/** {@code GET /api/v1/runs/{id}/events}: the events after a sequence number. */
public record EventPage(List<Event> events,
                        @ApiField(description = "the sequence number to ask for the next page after") long next,
                        @ApiField(description = "the run has ended and this page reaches its last event") boolean ended) {
}
