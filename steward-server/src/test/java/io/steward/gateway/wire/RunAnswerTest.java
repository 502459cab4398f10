package io.steward.gateway.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import io.steward.engine.ScriptError;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An answer about a run is written from the run's map, not its record; the tests' assertions check that the two
 * write the same JSON, and this test that the check catches the ways they could part.
 */
class RunAnswerTest {

    private static Map<String, Object> failedRun() {
        RunSnapshot run = new RunSnapshot("01RUNANSWERTEST0000000000", "deploy.groovy", 3, RunState.FAILED,
                Map.of("n", 1), Map.of(), Map.of("phase", "copy"), null, List.of(), 0, List.of(),
                Instant.parse("2026-12-07T06:00:00Z"), Instant.parse("2026-12-07T06:00:01Z"),
                Instant.parse("2026-12-07T06:00:02Z"), null, new ScriptError("deploy.groovy", 12, 0, "boom"), "local",
                null, List.of(), "admin", 9);
        return run.toMap();
    }

    @Test
    void aRunsMapWritesWhatItsRecordWrites() {
        Map<String, Object> run = failedRun();
        assertThat(Run.answer(run)).isSameAs(run);
        assertThat(Wire.sameJson(run, Run.class)).isTrue();
    }

    @Test
    void aFieldTheRecordLacksOrAValueItWritesOtherwiseIsCaught() {
        Map<String, Object> extra = new LinkedHashMap<>(failedRun());
        extra.put("secretArgs", Map.of("password", "hunter2"));
        assertThatThrownBy(() -> Wire.sameJson(extra, Run.class)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("secretArgs");

        Map<String, Object> nullColumn = new LinkedHashMap<>(failedRun());
        Map<String, Object> error = new LinkedHashMap<>(new ScriptError("deploy.groovy", 12, 0, "boom").toMap());
        error.put("column", null); // the record leaves a null column out
        nullColumn.put("error", error);
        assertThatThrownBy(() -> Wire.sameJson(nullColumn, Run.class)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("its record writes");
    }
}
