package io.steward.engine.js;

import io.steward.coordinator.InvokeRequest;
import io.steward.coordinator.RunHandle;
import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import io.steward.coordinator.Scripts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stopping run ends its JavaScript threads even in busy loops that call nothing, and catch blocks cannot
 * swallow the stop. The threads must end by themselves: the run's stop grace (5 s) would end the run anyway.
 */
class JavaScriptStopTest {
    @RegisterExtension
    final Scripts scripts = new Scripts();

    private RunHandle startLooping(String name, String source) throws InterruptedException {
        RunHandle handle = scripts.write(name, source).start(name, Map.of());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> handle.snapshot().statusValues().containsKey("looping"));
        return handle;
    }

    private void assertEveryThreadEndedByItself(RunSnapshot end, int threads) {
        assertThat(scripts.events(end.id(), "thread"))
                .filteredOn(e -> "ended".equals(e.data().get("action"))).hasSize(threads)
                .allSatisfy(e -> assertThat(e.data()).doesNotContainKey("error"));
        assertThat(end.duration()).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void cancelStopsABusyLoop() throws Exception {
        RunHandle handle = startLooping("busy.js", """
                status.set('looping', true)
                while (true) {
                  try { while (true) {} } catch (e) { log.info('swallowed ' + e) } finally { }
                }
                """);
        long cancelledAt = System.nanoTime();
        assertThat(scripts.coordinator().cancel(handle.id(), "test")).isTrue();
        RunSnapshot end = handle.await(Duration.ofSeconds(30));
        assertThat(end.state()).isEqualTo(RunState.CANCELLED);
        assertThat(end.error().message()).isEqualTo("cancelled: test");
        assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt)).isLessThan(Duration.ofSeconds(4));
        assertEveryThreadEndedByItself(end, 1);
        assertThat(scripts.events(end.id(), "log")).isEmpty();
    }

    @Test
    void cancelStopsBusyLoopsInSpawnedAndParallelThreads() throws Exception {
        RunHandle handle = startLooping("busythreads.js", """
                var spin = () => { var i = 0; for (;;) { i++ } }
                var t = spawn(spin)
                spawn(() => parallel([1, 2], spin))
                status.set('looping', true)
                t.join()
                """);
        await().atMost(Duration.ofSeconds(30)).until(() -> handle.snapshot().threads().size() == 5);
        scripts.coordinator().cancel(handle.id(), "test");
        RunSnapshot end = handle.await(Duration.ofSeconds(30));
        assertThat(end.state()).isEqualTo(RunState.CANCELLED);
        assertEveryThreadEndedByItself(end, 5);
    }

    @Test
    void aTimeoutStopsABusyLoop() throws Exception {
        scripts.write("slow.js", "while (true) {}");
        RunSnapshot end = scripts.coordinator().invoke(InvokeRequest.of("slow.js", Map.of())
                .withTimeout(Duration.ofMillis(200))).await(Duration.ofSeconds(30));
        assertThat(end.state()).isEqualTo(RunState.TIMED_OUT);
        assertEveryThreadEndedByItself(end, 1);
    }
}
