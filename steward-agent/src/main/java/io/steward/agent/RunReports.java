package io.steward.agent;

import io.steward.coordinator.Coordinator;
import io.steward.coordinator.RunSnapshot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the agent tells the primary about its runs: every run not yet acknowledged to its end, as the live
 * snapshot while the coordinator still has it, else as the outbox's last record of it.
 */
final class RunReports {
    private final Coordinator coordinator;
    private final AgentOutbox outbox;

    RunReports(Coordinator coordinator, AgentOutbox outbox) {
        this.coordinator = coordinator;
        this.outbox = outbox;
    }

    /** For {@code status}: full snapshots. */
    List<Map<String, Object>> snapshots() {
        List<Map<String, Object>> runs = new ArrayList<>();
        for (String id : outbox.runIds()) {
            Map<String, Object> snapshot = coordinator.snapshot(id).map(RunSnapshot::toMap).orElse(null);
            if (snapshot == null) {
                snapshot = outbox.record(id);
            }
            if (snapshot != null) {
                runs.add(snapshot);
            }
        }
        return runs;
    }

    /** For {@code hello}: {@code id, state, lastSeq} of each. */
    List<Map<String, Object>> states() {
        List<Map<String, Object>> states = new ArrayList<>();
        for (Map<String, Object> snapshot : snapshots()) {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("id", snapshot.get("id"));
            state.put("state", snapshot.get("state"));
            state.put("lastSeq", snapshot.get("lastSeq"));
            states.add(state);
        }
        return states;
    }
}
