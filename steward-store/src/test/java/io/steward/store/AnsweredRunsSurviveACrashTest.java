package io.steward.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An invoke answered at its run's end is answered once the run's batch is in the embedded store's write-ahead log,
 * before H2 commits it; whatever such an answer named is in the database after a crash, because the next start
 * commits the logged batches that H2 had not.
 */
@Timeout(120)
class AnsweredRunsSurviveACrashTest {
    @TempDir
    Path dataDir;

    static String runId(long n) {
        return String.format("01RUNANSWERED%013d", n);
    }

    @Test
    void theAnswerComesFromTheLogAndAReadRightAfterItFindsTheRun() throws Exception {
        try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
            EventWriter writer = store.writer();
            String id = runId(1);
            long last = Snapshots.finishedRunHeld(writer, id);
            writer.awaitRecorded(id);
            // Logged before the answer: the log holds the run's batch (it is emptied only past 4 MB).
            List<WriteAheadLog.Record> logged;
            try (WriteAheadLog log = WriteAheadLog.of(store.config().jdbcUrl())) {
                logged = log.records();
            }
            assertThat(logged).hasSize(1);
            assertThat(BatchCodec.decode(logged.getFirst().payload()).inserts).containsKey(id);
            // And a read right after the answer waits for the commit rather than miss the run.
            RunRecord run = store.runs().get(id).orElseThrow();
            assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(store.events().count(id)).isEqualTo(last);
        }
    }

    @Test
    void runsAnsweredOneAfterAnotherShareTheirCommits() throws Exception {
        // An idle wait and a hold far longer than the loop, so that a busy machine pausing this thread cannot split the
        // commits (a hold that runs out commits a run's records before its answer, unlogged).
        try (Store store = Store.open(StoreConfig.builder().dataDir(dataDir).writerShareIdle(Duration.ofMinutes(1))
                .writerHold(Duration.ofMinutes(1)).build())) {
            EventWriter writer = store.writer();
            writer.flush();
            long before = writer.batches();
            for (int n = 10; n < 40; n++) {
                Snapshots.finishedRunHeld(writer, runId(n));
                writer.awaitRecorded(runId(n));
            }
            // Each answer came from the log; H2 commits them together (when the writer goes idle, or this read).
            for (int n = 10; n < 40; n++) {
                assertThat(store.runs().get(runId(n))).as("run %d", n).isPresent();
            }
            assertThat(writer.batches() - before).as("commits for 30 runs answered one after another").isEqualTo(1);
        }
    }

    @Test
    void aLoggedBatchTheDatabaseNeverCommittedIsCommittedAtTheNextStartAndOnlyOnce() throws Exception {
        Store.open(StoreConfig.embedded(dataDir)).close(); // the schema, and an empty log
        String jdbcUrl = StoreConfig.embedded(dataDir).jdbcUrl();
        RunSnapshot queued = Snapshots.queued(runId(2), "lost.groovy", Instant.now());
        EventBatch batch = new EventBatch();
        batch.inserts.put(queued.id(), RunRow.of(Snapshots.ended(queued, RunState.SUCCEEDED, Instant.now(), 2)));
        batch.events.add(new EventBatch.EventRow(queued.id(), 1, "state", 1L, "{\"state\":\"QUEUED\"}"));
        batch.events.add(new EventBatch.EventRow(queued.id(), 2, "state", 2L, "{\"state\":\"SUCCEEDED\"}"));
        batch.audit.add(new AuditRow(Instant.now(), "tester", "invoke", queued.id(), "{}"));
        try (WriteAheadLog log = WriteAheadLog.of(jdbcUrl)) {
            log.append(1, BatchCodec.encode(batch));
            // A record cut short by the crash: nobody was answered for it, and it must not stop the start.
            Files.write(log.file(), new byte[] {0, 0, 1, 0, 7, 7}, java.nio.file.StandardOpenOption.APPEND);
        }

        try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
            assertThat(store.runs().get(queued.id()).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(store.events().count(queued.id())).isEqualTo(2);
            assertThat(Files.size(WriteAheadLog.of(jdbcUrl).file())).as("emptied once committed").isZero();
        }
        // A record the database has (a crash between the commit and the emptying of the log) is not replayed.
        try (WriteAheadLog log = WriteAheadLog.of(jdbcUrl)) {
            log.append(1, BatchCodec.encode(batch));
        }
        try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
            assertThat(store.events().count(queued.id())).isEqualTo(2);
            assertThat(store.audit().list(100).stream().filter(a -> queued.id().equals(a.target()))).hasSize(1);
            // Numbering goes on after it: the next answered run is logged as batch 2 and replayed if need be.
            String next = runId(3);
            Snapshots.finishedRunHeld(store.writer(), next);
            store.writer().awaitRecorded(next);
            try (WriteAheadLog log = WriteAheadLog.of(jdbcUrl)) {
                assertThat(log.records()).extracting(WriteAheadLog.Record::batch).containsExactly(2L);
            }
        }
    }

    @Test
    void aWriterKilledJustAfterItsAnswersLosesNoRunItAnsweredFor() throws Exception {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        long next = 1;
        // Three kills at whatever moment the 200th-odd answer comes: most land between a log write and its commit.
        for (int round = 0; round < 3; round++) {
            Process child = new ProcessBuilder(java, "-cp", classPath, AnsweringWriter.class.getName(),
                    dataDir.toString(), Long.toString(next)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            List<String> answered = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while (answered.size() < 200 + round * 37 && (line = out.readLine()) != null) {
                    answered.add(line.substring("answered ".length()));
                }
                child.destroyForcibly();
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(answered).as("answers before the kill").hasSizeGreaterThanOrEqualTo(200);
            try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
                for (String id : answered) {
                    assertThat(store.runs().get(id)).as("answered run " + id).isPresent();
                    assertThat(store.runs().get(id).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
                    assertThat(store.events().count(id)).as("events of " + id).isEqualTo(4);
                }
                next += 1_000_000;
            }
        }
    }
}
