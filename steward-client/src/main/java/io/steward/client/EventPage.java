package io.steward.client;

import java.util.List;

/**
 * A page of a run's events.
 *
 * @param next  the {@code after} of the following page
 * @param ended whether the run has ended, so no event will come after this page's last
 */
public record EventPage(List<Event> events, long next, boolean ended) {
}
