package io.steward.drills;

import io.steward.client.Event;
import io.steward.client.EventPage;
import io.steward.client.StewardApiException;
import io.steward.client.StewardClient;
import io.steward.coordinator.RunEvent;
import io.steward.coordinator.RunState;
import io.steward.store.RunRecord;
import io.steward.store.Store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What must hold after every drill, checked through the API and then in the store:
 * <ol>
 * <li>every run the API accepted (its id was in an answer) exists, and so do its children;
 * <li>none is left QUEUED or RUNNING once its owner is gone: every run ends, within a bound;
 * <li>every end is a final state, the last {@code state} event names it, and only LOST may be followed by another end
 * (an agent that comes back reports the real outcome of a run marked LOST: {@link RunState#canMoveTo}); a run that
 * was live when its primary died has no end event at all: the next start marks it LOST in the store
 * ({@code RunStore.markLost}), and clients learn it from the run's state (one whose final {@code state} event was
 * committed but not its record's end is ended with that event's state instead);
 * <li>each run's event numbers are 1, 2, 3, … without a gap or a repeat;
 * <li>the store says what the API said: the same state for every run, the same number of events.
 * </ol>
 */
final class Invariants {
    /** How many runs are checked at once: enough to hide the round trips, few enough for a 2-core machine. */
    private static final int CHECKERS = 6;
    /** Run id → state, as the API last answered; the store is compared with it. */
    final Map<String, String> states = new ConcurrentHashMap<>();
    /** Run id → number of events the API gave. */
    final Map<String, Long> eventCounts = new ConcurrentHashMap<>();
    /** Run id → number of final {@code state} events in its timeline (a LOST end may be followed by the real one). */
    final Map<String, Long> finalStateEvents = new ConcurrentHashMap<>();

    /**
     * Waits until every accepted run (and child) has ended, then checks them all through the API. The runs are
     * looked at from a few threads at once: a drill accepts up to a thousand, and one request after another made
     * this check a good part of a drill's time.
     */
    void checkThroughApi(StewardClient admin, Collection<String> accepted, Duration atMost) {
        List<String> all = new ArrayList<>(accepted);
        Map<String, List<String>> childrenOf = new ConcurrentHashMap<>();
        inParallel(accepted, id -> {
            Map<String, Object> run = admin.run(id);
            childrenOf.put(id, children(run).stream().map(c -> (String) c.get("id")).toList());
            if (RunState.valueOf((String) run.get("state")).isTerminal()) {
                states.put(id, (String) run.get("state"));
            }
        });
        accepted.forEach(id -> all.addAll(childrenOf.get(id)));
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<String> live = new ArrayList<>();
            for (String id : all) {
                if (!states.containsKey(id)) {
                    Map<String, Object> run = admin.run(id);
                    String state = (String) run.get("state");
                    if (RunState.valueOf(state).isTerminal()) {
                        states.put(id, state);
                    } else {
                        live.add(id + " " + state + " on " + run.get("node"));
                    }
                }
            }
            assertThat(live).as("runs not ended (QUEUED or RUNNING)").isEmpty();
        });
        inParallel(all, id -> {
            String state = (String) admin.run(id).get("state");
            states.put(id, state); // a LOST run may have learnt its real outcome meanwhile
            checkEvents(admin, id, state);
        });
    }

    /** Runs {@code check} for every id from {@link #CHECKERS} threads; the first failure is thrown as it was. */
    private static void inParallel(Collection<String> ids, Consumer<String> check) {
        List<Future<?>> checks = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(CHECKERS, Thread.ofVirtual().factory())) {
            for (String id : ids) {
                checks.add(pool.submit(() -> check.accept(id)));
            }
            for (Future<?> f : checks) {
                f.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private void checkEvents(StewardClient admin, String id, String state) {
        List<Event> events = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            long after = events.isEmpty() ? 0 : events.getLast().seq();
            EventPage page = admin.events(id, after, 5000);
            events.addAll(page.events());
            if (page.ended()) {
                break; // the run has ended and this page reached its last event
            }
            if (System.nanoTime() > deadline) {
                Map<String, Object> run = admin.run(id);
                throw new AssertionError("the timeline of run " + id + " does not end within 30 s: the run is "
                        + run.get("state") + " with lastSeq " + run.get("lastSeq") + " on " + run.get("node")
                        + " (parent " + run.get("parent") + "), the API gave " + events.size() + " events, the last "
                        + (events.isEmpty() ? "none" : events.getLast().seq() + " " + events.getLast().kind() + " " + events.getLast().data()));
            }
            if (page.events().isEmpty()) {
                pause();
            }
        }
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).seq()).as("event %d of run %s", i + 1, id).isEqualTo(i + 1L);
        }
        List<String> ends = events.stream().filter(Event::isFinalState).map(e -> String.valueOf(e.data().get("state"))).toList();
        finalStateEvents.put(id, (long) ends.size());
        if (ends.isEmpty()) {
            // runs live when a primary died are marked LOST by the next start in the store alone, without an event
            assertThat(state).as("run %s ended without a final state event", id).isEqualTo("LOST");
            eventCounts.put(id, (long) events.size());
            return;
        }
        if ("LOST".equals(state) && !"LOST".equals(ends.getLast())) {
            // The agent reported the real end between reading the state and reading the events: the state follows
            // within a commit or two, and must.
            String real = ends.getLast();
            await().atMost(Duration.ofSeconds(10)).until(() -> real.equals(admin.run(id).get("state")));
            state = real;
            states.put(id, real);
        }
        assertThat(ends.getLast()).as("the last final state event of run %s", id).isEqualTo(state);
        assertThat(ends.subList(0, ends.size() - 1)).as("ends before the last of run %s: only LOST may be followed", id)
                .allMatch("LOST"::equals);
        eventCounts.put(id, (long) events.size());
    }

    private static void pause() {
        try {
            Thread.sleep(50); // the group commit has not reached the end yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Compares the store with what the API answered: same state, same events, for every run. */
    void checkStore(Store store) {
        List<String> differ = new ArrayList<>();
        states.forEach((id, state) -> {
            Optional<RunRecord> record = store.runs().get(id);
            if (record.isEmpty()) {
                differ.add(id + " missing from the store");
                return;
            }
            if (!record.get().state().name().equals(state)) {
                differ.add(id + " API " + state + ", store " + record.get().state());
            }
            List<RunEvent> stored = store.events().page(id, 0, io.steward.store.EventStore.MAX_PAGE);
            if (stored.size() != eventCounts.getOrDefault(id, -1L)) {
                differ.add(id + " API " + eventCounts.get(id) + " events, store " + stored.size());
            }
        });
        assertThat(differ).as("runs where the store and the API disagree").isEmpty();
    }

    /** How many runs ended in each state. */
    Map<String, Long> byState() {
        Map<RunState, Long> counts = new EnumMap<>(RunState.class);
        states.values().forEach(s -> counts.merge(RunState.valueOf(s), 1L, Long::sum));
        Map<String, Long> out = new LinkedHashMap<>();
        counts.forEach((k, v) -> out.put(k.name(), v));
        return out;
    }

    long count(String state) {
        return states.values().stream().filter(state::equals).count();
    }

    /** Whether the API knows the run (404 is the only "no"). */
    static boolean exists(StewardClient admin, String id) {
        try {
            admin.run(id);
            return true;
        } catch (StewardApiException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> children(Map<String, Object> run) {
        Object c = run.get("children");
        return c instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT", "LOST");
}
