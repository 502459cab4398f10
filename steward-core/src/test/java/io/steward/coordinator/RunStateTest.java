package io.steward.coordinator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RunStateTest {
    @Test
    void finalStatesAreFinalExceptLostWhichMayLearnItsRealOutcome() {
        for (RunState from : RunState.values()) {
            for (RunState to : RunState.values()) {
                boolean expected = switch (from) {
                    case QUEUED -> to != RunState.QUEUED;
                    case RUNNING -> to.isTerminal();
                    case LOST -> to.isTerminal() && to != RunState.LOST;
                    default -> false;
                };
                assertThat(from.canMoveTo(to)).as("%s -> %s", from, to).isEqualTo(expected);
            }
        }
    }

    @Test
    void runIdsAreUniqueAndSortByCreation() {
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(RunIds.next());
        }
        assertThat(ids).doesNotHaveDuplicates().isSorted().allSatisfy(id -> assertThat(id).hasSize(26));
    }
}
