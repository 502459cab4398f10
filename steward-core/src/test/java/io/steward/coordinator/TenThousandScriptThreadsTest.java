package io.steward.coordinator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TenThousandScriptThreadsTest {
    @RegisterExtension
    final Scripts scripts = new Scripts();

    @Test
    void tenThousandSpawnedThreadsAllComplete() throws Exception {
        RunSnapshot run = scripts.run("many.groovy", """
                def threads = (1..10000).collect { n -> spawn { sleep(1); n } }
                threads.sum { it.join() }
                """);
        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.result()).isEqualTo(10000L * 10001 / 2);
        assertThat(run.threadsStarted()).isEqualTo(10_001);
        assertThat(scripts.events(run.id(), "thread")).hasSize(2 * 10_001);
    }

    @Test
    void tenThousandParallelItemsAllComplete() throws Exception {
        RunSnapshot run = scripts.run("parallel.groovy", "parallel(1..10000) { n -> n * 2 }.size()");
        assertThat(run.result()).isEqualTo(10_000L);
    }

    @Test
    void theRunEndsOnlyWhenItsLastThreadEnds() throws Exception {
        // The main thread returns at once; the spawned thread goes on and its shared value must be in the final snapshot.
        RunSnapshot run = scripts.run("late.groovy", """
                spawn { sleep(200); shared.put('late', 'done') }
                'main returned'
                """);
        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.result()).isEqualTo("main returned");
        assertThat(run.shared()).isEqualTo(Map.of("late", "done"));
    }
}
