package io.steward.gateway.wire;

/** A run's latest progress report. */
public record RunProgress(@ApiField(description = "from 0 to 1") double fraction,
                          @ApiField(nullable = true) String message) {
}
