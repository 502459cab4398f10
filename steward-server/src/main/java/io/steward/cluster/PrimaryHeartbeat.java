package io.steward.cluster;

import io.steward.store.PrimaryStore;

import java.util.List;
import java.util.function.Supplier;

/**
 * This primary's row in {@code primaries}: written at start, refreshed every beat (with the agents linked to it,
 * their names only when they changed, so that a quiet fleet costs one small UPDATE a second), deleted on a clean
 * close. The others judge it alive by how recently the database saw the refresh.
 */
final class PrimaryHeartbeat {
    private static final System.Logger LOG = System.getLogger(PrimaryHeartbeat.class.getName());

    private final PrimaryStore store;
    private final String self;
    private final Supplier<String> url;
    private final Supplier<List<String>> agents;
    private List<String> published;

    PrimaryHeartbeat(PrimaryStore store, String self, Supplier<String> url, Supplier<List<String>> agents) {
        this.store = store;
        this.self = self;
        this.url = url;
        this.agents = agents;
    }

    void register() {
        store.register(self, url.get());
        published = List.of();
    }

    /** Refreshes the row; unless {@code always}, only when the linked agents changed (a primary alone on its store). */
    synchronized void beat(boolean always) {
        try {
            List<String> now = agents.get().stream().sorted().toList();
            boolean changed = !now.equals(published);
            if (!always && !changed) {
                return;
            }
            store.beat(self, url.get(), now.size(), changed ? now : null);
            published = now;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not refresh this primary''s row: {0}", e.getMessage());
        }
    }

    void remove() {
        try {
            store.remove(self);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete this primary''s row: {0}", e.getMessage());
        }
    }
}
