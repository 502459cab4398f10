package io.steward.agent;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The run ids this agent has started, so that a {@code run} frame that comes again (a primary that repeats itself
 * after a reconnect) never starts a second copy of a run, nor gets a {@code refused} for one that is going fine.
 *
 * <p>An id is held while its run is live or its end is not acknowledged, then kept among the {@link #RECENT} most
 * recently finished ids and dropped after that: a long-lived agent must not keep every id it ever ran. A repeat of a
 * run so old that its id is gone would start it again; the primary sends a run once and repeats nothing that it has
 * already seen end, so this guard is for the short time around a reconnect.
 */
final class StartedRuns {
    static final int RECENT = 4096;

    private final int recentMax;
    private final Set<String> held = new HashSet<>();
    private final Map<String, Boolean> recent;

    StartedRuns() {
        this(RECENT);
    }

    StartedRuns(int recentMax) {
        this.recentMax = recentMax;
        this.recent = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > StartedRuns.this.recentMax;
            }
        };
    }

    /** Takes an id for a run about to start; {@code false} when it was started here already. */
    synchronized boolean claim(String id) {
        if (held.contains(id) || recent.containsKey(id)) {
            return false;
        }
        held.add(id);
        return true;
    }

    /** The run is over for good here (its end acknowledged, or it was refused): keep its id a while only. */
    synchronized void finished(String id) {
        if (held.remove(id)) {
            recent.put(id, Boolean.TRUE);
        }
    }

    synchronized int held() {
        return held.size();
    }

    synchronized int recent() {
        return recent.size();
    }
}
