package io.steward.agent;

import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Run records for tests of the outbox alone. */
final class AgentOutboxFixtures {
    private AgentOutboxFixtures() {
    }

    static RunSnapshot snapshot(String id) {
        return record(id, RunState.QUEUED, 1, null);
    }

    static RunSnapshot ended(String id, long lastSeq) {
        return record(id, RunState.SUCCEEDED, lastSeq, Instant.now());
    }

    private static RunSnapshot record(String id, RunState state, long lastSeq, Instant endedAt) {
        Instant now = Instant.now();
        return new RunSnapshot(id, "t.groovy", 1, state, Map.of(), Map.of(), Map.of(), null, List.of(), 0, List.of(),
                now, now, endedAt, null, null, "agent-1", null, List.of(), null, lastSeq);
    }
}
