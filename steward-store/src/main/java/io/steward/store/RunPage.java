package io.steward.store;

import java.util.List;

/**
 * One page of runs, newest first.
 *
 * @param next the cursor of the following page, or {@code null} when this is the last one
 */
public record RunPage(List<RunRecord> runs, String next) {
}
