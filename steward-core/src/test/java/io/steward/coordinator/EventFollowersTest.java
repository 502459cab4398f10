package io.steward.coordinator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Events are numbered without holes; followers never hold a run back and learn exactly what they missed. */
class EventFollowersTest {
    @RegisterExtension
    final Scripts scripts = new Scripts();

    @Test
    void everyEventReachesTheSinkInSequence() throws Exception {
        RunSnapshot run = scripts.run("events.groovy", "parallel(1..20) { n -> (1..50).each { status.set('k' + n, it) } }; 1");
        List<RunEvent> events = scripts.events(run.id());
        assertThat(events).extracting(RunEvent::seq).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, events.size()).boxed().toList());
        assertThat(events.getFirst().data()).containsEntry("state", "QUEUED");
        assertThat(events.getLast().data()).containsEntry("state", "SUCCEEDED");
        assertThat(run.lastSeq()).isEqualTo(events.size());
        assertThat(scripts.events(run.id(), "status")).hasSize(1000);
    }

    @Test
    void theSinkHearsARunsCreationBeforeItsEventsAndItsEndAfterThem() throws Exception {
        List<String> heard = java.util.Collections.synchronizedList(new ArrayList<>());
        EventSink sink = new EventSink() {
            @Override
            public void accept(RunEvent event) {
                heard.add(event.kind() + ":" + event.data().getOrDefault("state", ""));
            }

            @Override
            public void runCreated(RunSnapshot run) {
                heard.add("created:" + run.state());
            }

            @Override
            public void runEnded(RunSnapshot run) {
                heard.add("ended:" + run.state() + ":" + run.result() + ":" + run.lastSeq());
            }
        };
        java.nio.file.Files.writeString(scripts.dir().resolve("sink.groovy"), "shared.put('k', 1); 7");
        try (Coordinator own = Coordinator.builder().eventSink(sink)
                .scripts(new io.steward.engine.DirectoryScriptSource(scripts.dir(), java.util.Set.of(".groovy"))).build()) {
            RunSnapshot run = own.invoke(InvokeRequest.of("sink.groovy")).await(Duration.ofSeconds(30));
            assertThat(heard).containsExactly("state:QUEUED", "created:QUEUED", "state:RUNNING", "thread:",
                    "shared:", "thread:", "state:SUCCEEDED", "ended:SUCCEEDED:7:" + run.lastSeq());
        }
    }

    @Test
    void aFollowerThatNeverReadsDoesNotBlockTheRunAndGetsOneGap() throws Exception {
        scripts.write("chatty.groovy", "(1..5000).each { status.set('n', it) }; 'done'");
        // Subscribe to a run as it starts: the follower's queue holds 10 events and nobody reads it.
        RunHandle handle = scripts.start("chatty.groovy", Map.of());
        try (Subscription follower = scripts.coordinator().subscribe(handle.id(), 0, 10)) {
            RunSnapshot end = handle.await(Duration.ofSeconds(30));
            assertThat(end.state()).isEqualTo(RunState.SUCCEEDED);

            List<RunEvent> got = new ArrayList<>();
            RunEvent e;
            while ((e = follower.next(Duration.ofSeconds(5))) != null) {
                got.add(e);
            }
            assertThat(follower.finished()).isTrue();
            List<RunEvent> gaps = got.stream().filter(x -> x.kind().equals("gap")).toList();
            assertThat(gaps).hasSize(1);
            long from = (Long) gaps.getFirst().data().get("from");
            long to = (Long) gaps.getFirst().data().get("to");
            // What the follower saw plus what the gap names is every event, once.
            List<Long> seen = new ArrayList<>();
            for (RunEvent x : got) {
                if (x.kind().equals("gap")) {
                    for (long s = from; s <= to; s++) {
                        seen.add(s);
                    }
                } else {
                    seen.add(x.seq());
                }
            }
            assertThat(seen).containsExactlyElementsOf(
                    java.util.stream.LongStream.rangeClosed(seen.getFirst(), end.lastSeq()).boxed().toList());
        }
    }

    @Test
    void aLateFollowerReplaysKeptEventsThenEnds() throws Exception {
        RunSnapshot run = scripts.run("short.groovy", "status.set('a', 1); status.set('b', 2); 'x'");
        try (Subscription follower = scripts.coordinator().subscribe(run.id(), 2, 100)) {
            List<RunEvent> got = new ArrayList<>();
            RunEvent e;
            while ((e = follower.next(Duration.ofSeconds(1))) != null) {
                got.add(e);
            }
            assertThat(got).extracting(RunEvent::seq).first().isEqualTo(3L);
            assertThat(got).extracting(RunEvent::seq).last().isEqualTo(run.lastSeq());
            assertThat(follower.finished()).isTrue();
        }
    }

    @Test
    void aFollowerOfALongRunSeesLiveEventsInOrder() throws Exception {
        scripts.write("ticks.groovy", "(1..200).each { status.set('tick', it); sleep(1) }; 'done'");
        RunHandle handle = scripts.start("ticks.groovy", Map.of());
        List<Long> ticks = new ArrayList<>();
        try (Subscription follower = scripts.coordinator().subscribe(handle.id(), 0, 100_000)) {
            RunEvent e;
            while ((e = follower.next(Duration.ofSeconds(10))) != null) {
                if (e.kind().equals("status")) {
                    ticks.add((Long) e.data().get("value"));
                }
            }
        }
        assertThat(ticks).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 200).boxed().toList());
    }
}
