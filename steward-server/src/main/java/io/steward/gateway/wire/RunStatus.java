package io.steward.gateway.wire;

import java.util.Map;

/** A run's named status values and its latest progress report. */
public record RunStatus(Map<String, Object> values,
                        @ApiField(nullable = true, description = "null before the first report") RunProgress progress) {
}
