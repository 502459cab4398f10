package io.steward.process;

import java.time.Instant;
import java.util.List;

/**
 * A live (or just ended) local process as the registry knows it.
 *
 * @param pid       the operating system's process id
 * @param command   the argv it was launched with
 * @param owner     the id of the run that launched it
 * @param startedAt when it was launched
 */
public record ProcessInfo(long pid, List<String> command, String owner, Instant startedAt) {
}
