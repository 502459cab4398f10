package io.steward.gateway.wire;

import java.util.List;

/** A live local process of a run. */
public record RunProcess(long pid, List<String> command, @ApiField(format = "date-time") String startedAt) {
}
