package io.steward.agent;

import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import io.steward.engine.ScriptError;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The end of a run that was still running when its agent process died: its threads and engine died with the
 * process, so nothing can continue it. An agent that starts again and finds such a run in its outbox ends it as
 * {@link RunState#LOST} — the state Steward gives a run whose node went away under it — with a final {@code state}
 * event and an {@code ended} record that say why, so the primary records a real end instead of waiting for one.
 *
 * <p>The ended record starts from the run's created record, the newest record the outbox keeps; so its shared data
 * and status values are those of the run's start, while the run's timeline (its {@code shared} and {@code status}
 * events) keeps every later change.
 */
final class InterruptedRun {
    static final String REASON = "the agent process restarted while the run was running";

    private InterruptedRun() {
    }

    /** The data of the final {@code state} event, as a run's own end writes it. */
    static Map<String, Object> stateEvent(Map<String, Object> created) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("state", RunState.LOST.name());
        data.put("error", error(created).toMap());
        return data;
    }

    /** The ended record: the created one, LOST at {@code seq}, with no live threads or processes. */
    static Map<String, Object> ended(Map<String, Object> created, long seq, Instant at) {
        RunSnapshot s = RunSnapshot.fromMap(created);
        return new RunSnapshot(s.id(), s.script(), s.version(), RunState.LOST, s.args(), s.shared(), s.statusValues(),
                s.progress(), List.of(), s.threadsStarted(), List.of(), s.createdAt(), s.startedAt(), at, null,
                error(created), s.node(), s.parent(), s.children(), s.invoker(), seq).toMap();
    }

    private static ScriptError error(Map<String, Object> created) {
        return new ScriptError(String.valueOf(created.get("script")), 0, 0, REASON);
    }
}
