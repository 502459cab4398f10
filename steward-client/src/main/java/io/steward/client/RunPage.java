package io.steward.client;

import java.util.List;
import java.util.Map;

/**
 * A page of runs, newest first.
 *
 * @param runs each the run's JSON of docs/api.md
 * @param next the cursor of the following page, or null on the last
 */
public record RunPage(List<Map<String, Object>> runs, String next) {
}
