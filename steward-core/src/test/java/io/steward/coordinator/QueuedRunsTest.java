package io.steward.coordinator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A run invoked queued waits in QUEUED until released; cancelled while queued, it ends at once without running. */
class QueuedRunsTest {
    @RegisterExtension
    final Scripts scripts = new Scripts();

    @Test
    void aQueuedRunStartsOnlyWhenReleasedAndOnce() throws Exception {
        scripts.write("marks.groovy", "'ran with ' + args.n");
        RunHandle handle = scripts.coordinator().invokeQueued(InvokeRequest.of("marks.groovy", Map.of("n", 1L)));
        assertThat(handle.snapshot().state()).isEqualTo(RunState.QUEUED);
        assertThat(handle.await(Duration.ofMillis(300)).state()).as("nothing starts it but release").isEqualTo(RunState.QUEUED);
        assertThat(scripts.coordinator().release(handle.id())).isTrue();
        RunSnapshot end = handle.await(Duration.ofSeconds(30));
        assertThat(end.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(end.result()).isEqualTo("ran with 1");
        assertThat(scripts.coordinator().release(handle.id())).isFalse();
        assertThat(scripts.events(handle.id(), "state")).extracting(e -> e.data().get("state"))
                .containsExactly("QUEUED", "RUNNING", "SUCCEEDED");
    }

    @Test
    void aQueuedRunCancelledEndsAtOnceAndCannotBeReleased() throws Exception {
        scripts.write("never.groovy", "'should not run'");
        RunHandle handle = scripts.coordinator().invokeQueued(InvokeRequest.of("never.groovy"));
        long before = System.nanoTime();
        assertThat(scripts.coordinator().cancel(handle.id(), "by a test")).isTrue();
        RunSnapshot end = handle.await(Duration.ofSeconds(30));
        // Well inside the stop grace (5 s) a started run would be given.
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
        assertThat(end.state()).isEqualTo(RunState.CANCELLED);
        assertThat(end.startedAt()).isNull();
        assertThat(scripts.coordinator().release(handle.id())).isFalse();
        assertThat(scripts.events(handle.id(), "state")).extracting(e -> e.data().get("state"))
                .containsExactly("QUEUED", "CANCELLED");
    }
}
