package io.steward.store;

import io.steward.coordinator.Coordinator;
import io.steward.coordinator.InvokeRequest;
import io.steward.coordinator.NodeInfo;
import io.steward.coordinator.RunEvent;
import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import io.steward.engine.Engine;
import io.steward.engine.ScriptNotFoundException;
import io.steward.engine.ScriptText;
import io.steward.process.StdStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.steward.store.Snapshots.event;
import static io.steward.store.Snapshots.output;
import static io.steward.store.Snapshots.queued;
import static io.steward.store.Snapshots.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The store's contract, run against every backend (H2 on disk, PostgreSQL): a subclass supplies a fresh, empty
 * database per test through {@link #database()}.
 */
abstract class StoreContractTest {
    static final Map<String, String> LANGUAGES = Map.of(".groovy", "groovy", ".js", "js");

    Store store;

    /** A fresh database for this test: URL, user, password. Called once per test; reopening reuses it. */
    abstract StoreConfig.Builder database();

    private StoreConfig.Builder configured;

    @BeforeEach
    void openStore() {
        configured = database().languages(LANGUAGES).pruneEvery(null);
        store = Store.open(configured.build());
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    Store reopen() {
        store.close();
        store = Store.open(configured.build());
        return store;
    }

    long count(String sql) {
        try (Connection c = connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    Connection connection() throws SQLException {
        StoreConfig config = store.config();
        return DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
    }

    // ---- scripts ----

    @Test
    void pushNumbersVersionsFromOneAndIdenticalContentMakesNoNewVersion() {
        ScriptStore scripts = store.scripts();
        PushResult first = scripts.push("deploy/web.groovy", "println 1", "alice");
        assertThat(first.created()).isTrue();
        assertThat(first.version()).isEqualTo(1);
        assertThat(first.script().language()).isEqualTo("groovy");
        assertThat(first.script().sha256()).isEqualTo(ScriptText.sha256("println 1"));

        PushResult same = scripts.push("deploy/web.groovy", "println 1", "bob");
        assertThat(same.created()).isFalse();
        assertThat(same.version()).isEqualTo(1);
        assertThat(same.script().author()).isEqualTo("alice");

        PushResult second = scripts.push("deploy/web.groovy", "println 2", "bob");
        assertThat(second.created()).isTrue();
        assertThat(second.version()).isEqualTo(2);
        assertThat(scripts.push("other.js", "1 + 1", "carol").version()).isEqualTo(1);

        StoredScript latest = scripts.latest("deploy/web.groovy");
        assertThat(latest.version()).isEqualTo(2);
        assertThat(latest.source()).isEqualTo("println 2");
        assertThat(latest.info().author()).isEqualTo("bob");
        assertThat(count("SELECT COUNT(*) FROM scripts")).isEqualTo(3);
    }

    @Test
    void everyVersionStaysReadableAndHistoryListsThemOldestFirst() {
        ScriptStore scripts = store.scripts();
        for (int i = 1; i <= 5; i++) {
            scripts.push("lib/steps.groovy", "return " + i, "user" + i);
        }
        for (int i = 1; i <= 5; i++) {
            StoredScript v = scripts.version("lib/steps.groovy", i);
            assertThat(v.source()).isEqualTo("return " + i);
            assertThat(v.text()).isEqualTo(new ScriptText("lib/steps.groovy", i, "return " + i));
        }
        assertThat(scripts.history("lib/steps.groovy")).extracting(ScriptInfo::version, ScriptInfo::author)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "user1"),
                        org.assertj.core.groups.Tuple.tuple(2, "user2"), org.assertj.core.groups.Tuple.tuple(3, "user3"),
                        org.assertj.core.groups.Tuple.tuple(4, "user4"), org.assertj.core.groups.Tuple.tuple(5, "user5"));
        assertThat(scripts.version("lib/steps.groovy", 0).version()).isEqualTo(5);
        assertThatThrownBy(() -> scripts.version("lib/steps.groovy", 6)).isInstanceOf(ScriptNotFoundException.class)
                .hasMessageContaining("no version 6");
        assertThatThrownBy(() -> scripts.history("missing.groovy")).isInstanceOf(ScriptNotFoundException.class)
                .hasMessageContaining("missing.groovy");
    }

    @Test
    void listShowsLiveScriptsAtTheirLatestVersion() {
        ScriptStore scripts = store.scripts();
        scripts.push("b.groovy", "1", "alice");
        scripts.push("b.groovy", "2", "bob");
        scripts.push("a/x.js", "3", "carol");
        scripts.push("gone.groovy", "4", "dave");
        scripts.delete("gone.groovy", "erin");
        assertThat(scripts.list()).extracting(ScriptInfo::name, ScriptInfo::version, ScriptInfo::language,
                        ScriptInfo::author)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a/x.js", 1, "js", "carol"),
                        org.assertj.core.groups.Tuple.tuple("b.groovy", 2, "groovy", "bob"));
        assertThat(scripts.list().getFirst().sha256()).isEqualTo(ScriptText.sha256("3"));
        assertThat(scripts.list().getFirst().createdAt()).isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    void deleteIsSoftAndALaterPushRevivesTheNameAsANewVersion() {
        ScriptStore scripts = store.scripts();
        scripts.push("job.groovy", "println 'a'", "alice");
        scripts.push("job.groovy", "println 'b'", "alice");
        assertThat(scripts.latest("job.groovy").version()).isEqualTo(2);

        ScriptInfo deleted = scripts.delete("job.groovy", "bob");
        assertThat(deleted.version()).isEqualTo(2);
        assertThat(deleted.deletedBy()).isEqualTo("bob");
        assertThat(scripts.list()).isEmpty();
        assertThatThrownBy(() -> scripts.latest("job.groovy")).isInstanceOf(ScriptNotFoundException.class)
                .hasMessageContaining("deleted");
        assertThatThrownBy(() -> scripts.load("job.groovy")).isInstanceOf(ScriptNotFoundException.class);
        assertThatThrownBy(() -> scripts.delete("job.groovy", "bob")).isInstanceOf(ScriptNotFoundException.class);
        // Every version stays readable, the deleted one too.
        assertThat(scripts.version("job.groovy", 1).source()).isEqualTo("println 'a'");
        assertThat(scripts.version("job.groovy", 2).info().deleted()).isTrue();
        assertThat(scripts.version("job.groovy", 2).toMap()).containsEntry("deleted", true);

        // The same source again revives the name as a new version: it was not the latest *live* one.
        PushResult revived = scripts.push("job.groovy", "println 'b'", "carol");
        assertThat(revived.created()).isTrue();
        assertThat(revived.version()).isEqualTo(3);
        assertThat(scripts.latest("job.groovy").source()).isEqualTo("println 'b'");
        assertThat(scripts.list()).extracting(ScriptInfo::name).containsExactly("job.groovy");
        assertThat(scripts.history("job.groovy")).extracting(ScriptInfo::deleted).containsExactly(false, true, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc/passwd.groovy", "a/../../b.groovy", "a/./b.groovy", "/etc/x.groovy",
            "bell\u0007.groovy", "new\nline.groovy", "tab\t.groovy", "x.py", "noextension", "", "a//b.groovy",
            "C:\\x.groovy", "dir/"})
    void badNamesAreRefusedWithAClearErrorAndChangeNothing(String name) {
        ScriptStore scripts = store.scripts();
        scripts.push("keep.groovy", "1", "alice");
        assertThatThrownBy(() -> scripts.push(name, "println 1", "alice"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("script name");
        assertThatThrownBy(() -> scripts.delete(name, "alice")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> scripts.latest(name)).isInstanceOf(IllegalArgumentException.class);
        assertThat(count("SELECT COUNT(*) FROM scripts")).isEqualTo(1);
        assertThat(scripts.list()).extracting(ScriptInfo::name).containsExactly("keep.groovy");
    }

    @Test
    void badNamesSayWhatIsWrong() {
        ScriptStore scripts = store.scripts();
        assertThatThrownBy(() -> scripts.push("../x.groovy", "1", "a")).hasMessageContaining("'..'");
        assertThatThrownBy(() -> scripts.push("/x.groovy", "1", "a")).hasMessageContaining("absolute");
        assertThatThrownBy(() -> scripts.push("x\u0001.groovy", "1", "a")).hasMessageContaining("control character");
        assertThatThrownBy(() -> scripts.push("x.py", "1", "a")).hasMessageContaining("unknown extension '.py'")
                .hasMessageContaining(".groovy");
    }

    @Test
    void sourcesOverOneMebibyteOfUtf8AreRefusedAndChangeNothing() {
        ScriptStore scripts = store.scripts();
        String exactly = "x".repeat(ScriptStore.MAX_SOURCE_BYTES);
        assertThat(scripts.push("big.groovy", exactly, "alice").version()).isEqualTo(1);
        assertThat(scripts.latest("big.groovy").source()).hasSize(ScriptStore.MAX_SOURCE_BYTES);

        assertThatThrownBy(() -> scripts.push("big.groovy", exactly + "y", "alice"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1048577 bytes")
                .hasMessageContaining("1 MiB");
        // Half as many characters, but two bytes each: the limit is on bytes.
        String wide = "é".repeat(ScriptStore.MAX_SOURCE_BYTES / 2 + 1);
        assertThatThrownBy(() -> scripts.push("wide.groovy", wide, "alice"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1048578 bytes");
        assertThatThrownBy(() -> scripts.push("nul.groovy", "a\0b", "alice"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL");
        assertThatThrownBy(() -> scripts.push("noauthor.groovy", "1", " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("author");
        assertThat(count("SELECT COUNT(*) FROM scripts")).isEqualTo(1);
        assertThat(scripts.history("big.groovy")).hasSize(1);
    }

    @Test
    void concurrentPushesOfOneNameNeverShareAVersion() throws Exception {
        ScriptStore scripts = store.scripts();
        int threads = 6;
        int each = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<Integer>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                List<Integer> versions = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    versions.add(scripts.push("race.groovy", "println " + thread + "_" + i, "t" + thread).version());
                }
                return versions;
            }));
        }
        Set<Integer> all = new HashSet<>();
        for (Future<List<Integer>> f : futures) {
            all.addAll(f.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertThat(all).hasSize(threads * each);
        assertThat(scripts.history("race.groovy")).extracting(ScriptInfo::version)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, threads * each).boxed().toList());
    }

    @Test
    void scriptsRunFromTheStoreAndIncludeReadsFromIt() throws Exception {
        store.scripts().push("lib/greet.groovy", "return { n -> 'hello ' + n }", "alice");
        store.scripts().push("main.groovy", "def greet = include('lib/greet.groovy'); status.set('phase', 'greeting'); "
                + "shared.put('who', args.who); greet(args.who)", "alice");
        store.scripts().push("main.groovy", "'version two'", "alice");
        try (Coordinator coordinator = Coordinator.builder().engine(new Engine()).scripts(store.scripts())
                .eventSink(store.writer()).build()) {
            RunSnapshot latest = coordinator.invoke(InvokeRequest.of("main.groovy", Map.of("who", "x"))
                    .withInvoker("alice")).await(Duration.ofSeconds(60));
            assertThat(latest.result()).isEqualTo("version two");
            RunSnapshot pinned = coordinator.invoke(new InvokeRequest("main.groovy", 1, Map.of("who", "world"), null,
                    "bob")).await(Duration.ofSeconds(60));
            assertThat(pinned.state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(pinned.result()).isEqualTo("hello world");

            store.writer().flush();
            RunRecord record = store.runs().get(pinned.id()).orElseThrow();
            assertThat(record.state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(record.script()).isEqualTo("main.groovy");
            assertThat(record.version()).isEqualTo(1);
            assertThat(record.result()).isEqualTo("hello world");
            assertThat(record.args()).isEqualTo(Map.of("who", "world"));
            assertThat(record.shared()).isEqualTo(Map.of("who", "world"));
            assertThat(record.statusValues()).isEqualTo(Map.of("phase", "greeting"));
            assertThat(record.invoker()).isEqualTo("bob");
            assertThat(record.lastSeq()).isEqualTo(pinned.lastSeq());
            assertThat(record.startedAt()).isNotNull();
            assertThat(record.endedAt()).isAfterOrEqualTo(record.startedAt());
            assertThat(store.events().page(pinned.id(), 0, 1000)).extracting(RunEvent::seq)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, pinned.lastSeq()).boxed()
                            .toList());
            assertThat(store.events().page(pinned.id(), 0, 1000).getLast().data())
                    .containsEntry("state", "SUCCEEDED").containsEntry("result", "hello world");

            store.scripts().delete("lib/greet.groovy", "alice");
            RunSnapshot broken = coordinator.invoke(new InvokeRequest("main.groovy", 1, Map.of("who", "x"), null,
                    "bob")).await(Duration.ofSeconds(60));
            assertThat(broken.state()).isEqualTo(RunState.FAILED);
            assertThat(broken.error().message()).contains("lib/greet.groovy");
        }
    }

    // ---- runs ----

    @Test
    void runRecordsFollowCreationRunningAndEnd() throws Exception {
        EventWriter writer = store.writer();
        Instant created = Instant.now().truncatedTo(ChronoUnit.MICROS);
        RunSnapshot run = queued("01RUN0000000000000000000A1", "deploy.groovy", created);
        writer.accept(state(run.id(), 1, RunState.QUEUED));
        writer.runCreated(run);
        writer.flush();
        RunRecord queuedRecord = store.runs().get(run.id()).orElseThrow();
        assertThat(queuedRecord.state()).isEqualTo(RunState.QUEUED);
        assertThat(queuedRecord.createdAt()).isEqualTo(created);
        assertThat(queuedRecord.args()).isEqualTo(Map.of("n", 1L));
        assertThat(queuedRecord.lastSeq()).isEqualTo(1);

        writer.accept(state(run.id(), 2, RunState.RUNNING));
        writer.accept(event(run.id(), 3, "log", Map.of("message", "hi")));
        writer.flush();
        RunRecord running = store.runs().get(run.id()).orElseThrow();
        assertThat(running.state()).isEqualTo(RunState.RUNNING);
        assertThat(running.startedAt()).isNotNull();
        assertThat(running.lastSeq()).isEqualTo(3);

        writer.accept(state(run.id(), 4, RunState.FAILED));
        Instant ended = created.plusSeconds(5);
        writer.runEnded(Snapshots.ended(run, RunState.FAILED, ended, 4));
        writer.flush();
        RunRecord failed = store.runs().get(run.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        assertThat(failed.error()).isEqualTo(new io.steward.engine.ScriptError("deploy.groovy", 3, 7, "it broke"));
        assertThat(failed.endedAt()).isEqualTo(ended);
        assertThat(failed.shared()).isEqualTo(Map.of("host", "web1"));
        assertThat(failed.progress()).isEqualTo(Map.of("fraction", 1.0, "message", "finished"));
        assertThat(failed.node()).isEqualTo("primary");
        assertThat(failed.lastSeq()).isEqualTo(4);
        assertThat(failed.toMap()).containsEntry("state", "FAILED").containsEntry("lastSeq", 4L)
                .containsKeys("id", "script", "version", "args", "shared", "status", "result", "error", "node",
                        "startedAt", "endedAt");
        assertThat(store.runs().get("nope")).isEmpty();
    }

    @Test
    void getAllReadsTheStoredOnesOfManyIdsInAFewQueries() throws Exception {
        List<String> stored = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = "01RUN00000000000000000GA0" + i;
            Snapshots.finishedRun(store.writer(), id, "many.groovy", Instant.now(), Instant.now(), 2);
            stored.add(id);
        }
        store.writer().flush();
        // more ids than one statement takes, the stored ones in the first and the last chunk
        List<String> asked = new ArrayList<>();
        asked.add(stored.get(0));
        for (int i = 0; i < 2 * InList.CHUNK; i++) {
            asked.add("01RUNNOTSTORED" + i);
        }
        asked.add(stored.get(1));
        asked.add(stored.get(2));

        Map<String, RunRecord> found = store.runs().getAll(asked);
        assertThat(found).containsOnlyKeys(stored);
        assertThat(found.get(stored.get(2)).state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(store.runs().getAll(List.of())).isEmpty();
    }

    @Test
    void aRunCreatedAndEndedInOneBatchIsStoredWhole() throws Exception {
        long last = Snapshots.finishedRun(store.writer(), "01RUN0000000000000000000B1", "quick.groovy", Instant.now(),
                Instant.now(), 3);
        store.writer().flush();
        RunRecord record = store.runs().get("01RUN0000000000000000000B1").orElseThrow();
        assertThat(record.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(record.result()).isEqualTo(Map.of("ok", true));
        assertThat(record.lastSeq()).isEqualTo(last);
        assertThat(store.events().count(record.id())).isEqualTo(last);
    }

    @Test
    void listFiltersByStateScriptAndTimeAndPagesWithACursorNewestFirst() throws Exception {
        EventWriter writer = store.writer();
        Instant base = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MICROS);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String id = String.format("01RUNLIST%017d", i);
            ids.add(id);
            String script = i % 2 == 0 ? "even.groovy" : "odd.groovy";
            RunSnapshot run = queued(id, script, base.plusSeconds(i * 60L));
            writer.runCreated(run);
            if (i % 5 != 0) {
                writer.runEnded(Snapshots.ended(run, i % 3 == 0 ? RunState.FAILED : RunState.SUCCEEDED,
                        base.plusSeconds(i * 60L + 1), 1));
            }
        }
        writer.flush();
        List<String> newestFirst = ids.reversed();

        List<String> seen = new ArrayList<>();
        RunQuery query = RunQuery.newest(10);
        int pages = 0;
        while (true) {
            RunPage page = store.runs().list(query);
            pages++;
            page.runs().forEach(r -> seen.add(r.id()));
            if (page.next() == null) {
                break;
            }
            query = query.after(page.next());
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(newestFirst);

        assertThat(store.runs().list(RunQuery.newest(100).state(RunState.QUEUED)).runs()).extracting(RunRecord::id)
                .containsExactly(ids.get(20), ids.get(15), ids.get(10), ids.get(5), ids.get(0));
        assertThat(store.runs().list(RunQuery.newest(100).script("odd.groovy")).runs()).hasSize(12)
                .allSatisfy(r -> assertThat(r.script()).isEqualTo("odd.groovy"));
        assertThat(store.runs().list(RunQuery.newest(100).since(base.plusSeconds(20 * 60))).runs())
                .extracting(RunRecord::id).containsExactlyElementsOf(newestFirst.subList(0, 5));
        RunPage filtered = store.runs().list(RunQuery.newest(2).script("even.groovy").state(RunState.SUCCEEDED));
        assertThat(filtered.runs()).extracting(RunRecord::id).containsExactly(ids.get(22), ids.get(16));
        assertThat(store.runs().list(RunQuery.newest(2).script("even.groovy").state(RunState.SUCCEEDED)
                .after(filtered.next())).runs()).extracting(RunRecord::id).containsExactly(ids.get(14), ids.get(8));

        assertThat(store.runs().countsByState()).containsEntry(RunState.QUEUED, 5L)
                .containsEntry(RunState.FAILED, 7L).containsEntry(RunState.SUCCEEDED, 13L)
                .doesNotContainKey(RunState.RUNNING);
        assertThatThrownBy(() -> RunQuery.newest(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RunQuery.newest(5).after("'; drop table runs")).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("cursor");
    }

    @Test
    void adoptBringsTheLiveRunsOfANodeUnderAnotherPrimaryAndNothingElse() throws Exception {
        EventWriter writer = store.writer();
        RunSnapshot running = onNode(queued("01ADOPT00000000000000000RN", "a.groovy", Instant.now()), "web-1");
        writer.accept(state(running.id(), 1, RunState.QUEUED));
        writer.runCreated(running);
        writer.accept(state(running.id(), 2, RunState.RUNNING));
        RunSnapshot queuedHere = onNode(queued("01ADOPT00000000000000000QU", "a.groovy", Instant.now()), "web-1");
        writer.accept(state(queuedHere.id(), 1, RunState.QUEUED));
        writer.runCreated(queuedHere);
        RunSnapshot otherNode = onNode(queued("01ADOPT00000000000000000OT", "a.groovy", Instant.now()), "web-2");
        writer.accept(state(otherNode.id(), 1, RunState.QUEUED));
        writer.runCreated(otherNode);
        RunSnapshot ended = onNode(queued("01ADOPT00000000000000000EN", "a.groovy", Instant.now()), "web-1");
        writer.accept(state(ended.id(), 1, RunState.QUEUED));
        writer.runCreated(ended);
        writer.accept(state(ended.id(), 2, RunState.SUCCEEDED));
        writer.runEnded(Snapshots.ended(ended, RunState.SUCCEEDED, Instant.now(), 2));
        writer.flush();
        String first = store.config().primaryId();

        List<RunRecord> adopted = store.runs().adopt("web-1", "primary-b");

        assertThat(adopted).extracting(RunRecord::id).containsExactly(queuedHere.id(), running.id());
        assertThat(adopted).extracting(RunRecord::lastSeq).containsExactly(1L, 2L);
        assertThat(store.runs().primaryOf(running.id())).contains("primary-b");
        assertThat(store.runs().primaryOf(queuedHere.id())).contains("primary-b");
        assertThat(store.runs().primaryOf(otherNode.id())).contains(first);
        assertThat(store.runs().primaryOf(ended.id())).contains(first);
        assertThat(store.runs().primaryOf("01ADOPT0000000000000000NONE")).isEmpty();
        // adopted once: the same primary adopts nothing more; the first may take them back
        assertThat(store.runs().adopt("web-1", "primary-b")).isEmpty();
        assertThat(store.runs().adopt("web-1", first)).hasSize(2);
        assertThat(store.runs().get(running.id()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
    }

    private static RunSnapshot onNode(RunSnapshot s, String node) {
        return new RunSnapshot(s.id(), s.script(), s.version(), s.state(), s.args(), s.shared(), s.statusValues(),
                s.progress(), s.threads(), s.threadsStarted(), s.processes(), s.createdAt(), s.startedAt(),
                s.endedAt(), s.result(), s.error(), node, s.parent(), s.children(), s.invoker(), s.lastSeq());
    }

    @Test
    void markLostTurnsEveryQueuedOrRunningRunLostAndKeepsItsEvents() throws Exception {
        EventWriter writer = store.writer();
        RunSnapshot queued = queued("01RUNLOST0000000000000000Q", "a.groovy", Instant.now());
        writer.accept(state(queued.id(), 1, RunState.QUEUED));
        writer.runCreated(queued);
        RunSnapshot running = queued("01RUNLOST0000000000000000R", "b.groovy", Instant.now());
        writer.accept(state(running.id(), 1, RunState.QUEUED));
        writer.runCreated(running);
        writer.accept(state(running.id(), 2, RunState.RUNNING));
        for (int i = 3; i <= 50; i++) {
            writer.accept(event(running.id(), i, "log", Map.of("message", "working " + i)));
        }
        Snapshots.finishedRun(writer, "01RUNLOST0000000000000000S", "c.groovy", Instant.now(), Instant.now(), 1);
        writer.flush();

        assertThat(store.runs().markLost("the primary restarted while the run was in progress")).isEqualTo(2);
        assertThat(store.runs().markLost("again")).isZero();

        RunRecord lost = store.runs().get(running.id()).orElseThrow();
        assertThat(lost.state()).isEqualTo(RunState.LOST);
        assertThat(lost.error().message()).isEqualTo("the primary restarted while the run was in progress");
        assertThat(lost.error().script()).isEqualTo("b.groovy");
        assertThat(lost.endedAt()).isNotNull();
        assertThat(lost.lastSeq()).isEqualTo(50);
        assertThat(store.events().page(running.id(), 0, 100)).hasSize(50);
        assertThat(store.runs().get(queued.id()).orElseThrow().state()).isEqualTo(RunState.LOST);
        assertThat(store.runs().get("01RUNLOST0000000000000000S").orElseThrow().state())
                .isEqualTo(RunState.SUCCEEDED);
        assertThat(store.runs().countsByState()).containsEntry(RunState.LOST, 2L);
    }

    @Test
    void aRunWhoseFinalStateEventIsStoredButNotItsEndIsEndedWithThatStateAtStartUpNotLost() throws Exception {
        // The coordinator appends a run's final state event before it hands over the run's end, and the writer may
        // commit in between: a primary killed there leaves the event stored and the row RUNNING.
        EventWriter writer = store.writer();
        long endedAt = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS).toEpochMilli();
        String succeeded = "01RUNENDEVENT0000000000SUC";
        String failed = "01RUNENDEVENT0000000000FAI";
        String cancelledWhileQueued = "01RUNENDEVENT0000000000CAN";
        String live = "01RUNENDEVENT0000000000LIV";
        for (String id : List.of(succeeded, failed, live)) {
            writer.accept(state(id, 1, RunState.QUEUED));
            writer.runCreated(queued(id, "end.groovy", Instant.now()));
            writer.accept(state(id, 2, RunState.RUNNING));
            writer.accept(event(id, 3, "log", Map.of("message", "working")));
        }
        writer.accept(Snapshots.finalState(succeeded, 4, endedAt, RunState.SUCCEEDED));
        writer.accept(Snapshots.finalState(failed, 4, endedAt, RunState.FAILED));
        writer.accept(state(cancelledWhileQueued, 1, RunState.QUEUED));
        writer.runCreated(queued(cancelledWhileQueued, "end.groovy", Instant.now()));
        writer.accept(Snapshots.finalState(cancelledWhileQueued, 2, endedAt, RunState.CANCELLED));
        writer.flush();
        assertThat(store.runs().get(succeeded).orElseThrow().state()).as("no Ended item: the row did not end")
                .isEqualTo(RunState.RUNNING);

        reopen();
        // What a primary alone does at its start (Cluster.markOwnRunsLost).
        assertThat(store.runs().markLostOf(store.config().primaryId(), true, "the primary stopped"))
                .as("only the run without a final event is LOST").isEqualTo(1);

        RunRecord ok = store.runs().get(succeeded).orElseThrow();
        assertThat(ok.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(ok.result()).isEqualTo(Map.of("ok", true));
        assertThat(ok.error()).isNull();
        assertThat(ok.endedAt()).isEqualTo(Instant.ofEpochMilli(endedAt));
        assertThat(ok.lastSeq()).isEqualTo(4);
        RunRecord broke = store.runs().get(failed).orElseThrow();
        assertThat(broke.state()).isEqualTo(RunState.FAILED);
        assertThat(broke.result()).isNull();
        assertThat(broke.error()).isEqualTo(new io.steward.engine.ScriptError("end.groovy", 3, 7, "it broke"));
        assertThat(broke.endedAt()).isEqualTo(Instant.ofEpochMilli(endedAt));
        RunRecord cancelled = store.runs().get(cancelledWhileQueued).orElseThrow();
        assertThat(cancelled.state()).isEqualTo(RunState.CANCELLED);
        assertThat(cancelled.lastSeq()).isEqualTo(2);
        RunRecord lost = store.runs().get(live).orElseThrow();
        assertThat(lost.state()).isEqualTo(RunState.LOST);
        assertThat(lost.error().message()).isEqualTo("the primary stopped");
        assertThat(lost.lastSeq()).isEqualTo(3);
        assertThat(store.runs().markLost("again")).isZero();
    }

    // ---- events ----

    @Test
    void aTimelineHasALanePerThreadAndProcessInStartOrderAndTheMarksBetween() throws Exception {
        EventWriter writer = store.writer();
        String id = "01RUNTIMELINE0000000000001";
        long t0 = 1_700_000_000_000L;
        List<RunEvent> events = List.of(
                new RunEvent(id, 1, "state", t0, Map.of("state", "RUNNING")),
                new RunEvent(id, 2, "thread", t0 + 1, Map.of("name", "run-x/1", "action", "started")),
                new RunEvent(id, 3, "thread", t0 + 2, Map.of("name", "run-x/2", "action", "started", "parent", "run-x/1")),
                new RunEvent(id, 4, "process", t0 + 3, Map.of("action", "started", "pid", 41, "command", List.of("echo", "hi"),
                        "thread", "run-x/2")),
                new RunEvent(id, 5, "output", t0 + 4, Map.of("pid", 41, "stream", "stdout", "line", "hi")),
                new RunEvent(id, 6, "status", t0 + 5, Map.of("name", "phase", "value", "build")),
                new RunEvent(id, 7, "process", t0 + 6, Map.of("action", "exited", "pid", 41, "exitCode", 3,
                        "timedOut", false, "killed", false)),
                new RunEvent(id, 8, "thread", t0 + 7, Map.of("name", "run-x/2", "action", "ended", "error", "boom")),
                new RunEvent(id, 9, "event", t0 + 8, Map.of("name", "web-1", "data", "up")),
                new RunEvent(id, 10, "progress", t0 + 9, Map.of("fraction", 0.5, "message", "half")),
                new RunEvent(id, 11, "thread", t0 + 10, Map.of("name", "run-x/3", "action", "started", "parent", "run-x/1")));
        events.forEach(writer::accept);
        writer.flush();

        RunTimelines.Timeline live = store.timelines().timeline(id, 100, 100);
        assertThat(live.lanes()).extracting(RunTimelines.TimelineLane::id)
                .containsExactly("run-x/1", "run-x/2", "41", "run-x/3");
        assertThat(live.lanes()).extracting(RunTimelines.TimelineLane::outcome)
                .containsExactly("running", "failed", "failed", "running");
        RunTimelines.TimelineLane process = live.lanes().get(2);
        assertThat(process.name()).isEqualTo("echo hi");
        assertThat(process.parent()).isEqualTo("run-x/2");
        assertThat(process.start()).isEqualTo(t0 + 3);
        assertThat(process.end()).isEqualTo(t0 + 6);
        assertThat(process.detail()).isEqualTo("exit 3");
        assertThat(live.lanes().get(1).parent()).isEqualTo("run-x/1");
        assertThat(live.marks()).extracting(RunTimelines.TimelineMark::kind)
                .containsExactly("state", "status", "event", "progress");
        assertThat(live.end()).isNull();
        assertThat(live.start()).isEqualTo(t0);
        assertThat(live.throughSeq()).isEqualTo(11);

        writer.accept(new RunEvent(id, 12, "thread", t0 + 20, Map.of("name", "run-x/1", "action", "ended")));
        writer.accept(new RunEvent(id, 13, "state", t0 + 21, Map.of("state", "FAILED", "error", Map.of("message", "boom"))));
        writer.flush();
        RunTimelines.Timeline ended = store.timelines().timeline(id, 2, 2);
        assertThat(ended.end()).isEqualTo(t0 + 21);
        assertThat(ended.lanes()).extracting(RunTimelines.TimelineLane::outcome).containsExactly("ok", "failed");
        assertThat(ended.lanesTotal()).isEqualTo(4);
        assertThat(ended.marks()).extracting(RunTimelines.TimelineMark::kind).containsExactly("progress", "state");
        assertThat(ended.marks().getLast().data()).containsOnlyKeys("state");
        assertThat(ended.marksTotal()).isEqualTo(5);
        assertThat(store.timelines().timeline("01NOSUCHRUN000000000000000", 10, 10).lanes()).isEmpty();
        assertThatThrownBy(() -> store.timelines().timeline(id, 0, 10)).hasMessageContaining("lanes must be between 1");
    }

    @Test
    void aHundredThousandEventsOfOneRunAreAllKeptInOrder() throws Exception {
        EventWriter writer = store.writer();
        String id = "01RUNBIG000000000000000000";
        writer.accept(state(id, 1, RunState.QUEUED));
        writer.runCreated(queued(id, "big.groovy", Instant.now()));
        writer.accept(state(id, 2, RunState.RUNNING));
        int total = 100_000;
        long start = System.nanoTime();
        for (long seq = 3; seq <= total; seq++) {
            writer.accept(event(id, seq, seq % 3 == 0 ? "progress" : "log", Map.of("n", seq, "text", "event " + seq)));
        }
        writer.flush();
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("%s: 100,000 events committed in %d ms (%d batches)%n", store.backend(), millis,
                writer.batches());

        assertThat(store.events().count(id)).isEqualTo(total);
        assertThat(count("SELECT MAX(seq) FROM run_events WHERE run_id = '" + id + "'")).isEqualTo(total);
        assertThat(writer.durableSeq(id)).isEqualTo(total);
        assertThat(store.runs().get(id).orElseThrow().lastSeq()).isEqualTo(total);
        // Group commit: far fewer transactions than events.
        assertThat(writer.batches()).isLessThan(total / 10);
        long expected = 1;
        for (long after = 0; after < total; ) {
            List<RunEvent> page = store.events().page(id, after, 10_000);
            assertThat(page).isNotEmpty();
            for (RunEvent e : page) {
                assertThat(e.seq()).isEqualTo(expected);
                if (expected > 2) {
                    assertThat(e.data()).containsEntry("n", expected);
                }
                expected++;
            }
            after = page.getLast().seq();
        }
        assertThat(expected - 1).isEqualTo(total);
        assertThat(writer.pending()).isZero();
        assertThat(writer.dropped()).isZero();
    }

    @Test
    void manyRunsWritingAtOnceEachKeepTheirOrderAndEveryEvent() throws Exception {
        EventWriter writer = store.writer();
        int threads = 6;
        int runsPerThread = 10;
        int events = 1_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                // Like script threads: each run's calls in order, runs of one thread interleaved.
                List<RunSnapshot> runs = new ArrayList<>();
                for (int r = 0; r < runsPerThread; r++) {
                    RunSnapshot run = queued(String.format("01RUNMANY%02d%015d", thread, r), "m.groovy", Instant.now());
                    runs.add(run);
                    writer.accept(state(run.id(), 1, RunState.QUEUED));
                    writer.runCreated(run);
                }
                for (long seq = 2; seq < events; seq++) {
                    for (RunSnapshot run : runs) {
                        writer.accept(seq % 5 == 0 ? output(run.id(), seq, "stdout", "line " + seq)
                                : event(run.id(), seq, "log", Map.of("seq", seq)));
                    }
                }
                for (RunSnapshot run : runs) {
                    writer.accept(state(run.id(), events, RunState.SUCCEEDED));
                    writer.runEnded(Snapshots.ended(run, RunState.SUCCEEDED, Instant.now(), events));
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        writer.flush();
        assertThat(count("SELECT COUNT(*) FROM run_events")).isEqualTo((long) threads * runsPerThread * events);
        RunPage all = store.runs().list(RunQuery.newest(100));
        assertThat(all.runs()).hasSize(threads * runsPerThread).allSatisfy(run -> {
            assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(run.lastSeq()).isEqualTo(events);
        });
        String some = all.runs().get(7).id();
        assertThat(store.events().page(some, 0, events)).extracting(RunEvent::seq)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, events).boxed().toList());
        assertThat(store.events().output(some, 0, 1 << 20).text()).startsWith("line 5\nline 10\nline 15\n");
        assertThat(writer.pending()).isZero();
    }

    @Test
    void eventDataComesBackAsTheSameJsonValues() throws Exception {
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("long", 9_007_199_254_740_993L);
        data.put("double", 0.25);
        data.put("bool", true);
        data.put("null", null);
        data.put("text", "ünïcødé ✓ \u0000 \"quoted\" 𝄞");
        data.put("list", List.of(1L, "two", List.of(3L)));
        data.put("map", Map.of("nested", Map.of("deep", false)));
        store.writer().accept(new RunEvent("01RUNJSON00000000000000000", 1, "event", 1_700_000_000_123L, data));
        store.writer().flush();
        RunEvent back = store.events().page("01RUNJSON00000000000000000", 0, 10).getFirst();
        assertThat(back.data()).isEqualTo(data);
        assertThat(back.time()).isEqualTo(1_700_000_000_123L);
        assertThat(back.kind()).isEqualTo("event");
    }

    @Test
    void theDurableWatermarkRisesAfterCommitAndWakesWaiters() throws Exception {
        EventWriter writer = store.writer();
        String id = "01RUNWAIT00000000000000000";
        assertThat(writer.durableSeq(id)).isZero();
        assertThat(writer.awaitDurable(id, 0, Duration.ofMillis(50))).isZero();

        writer.accept(state(id, 1, RunState.QUEUED));
        writer.runCreated(queued(id, "w.groovy", Instant.now()));
        assertThat(writer.awaitDurable(id, 0, Duration.ofSeconds(30))).isEqualTo(1);
        assertThat(store.events().page(id, 0, 10)).hasSize(1);

        CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return writer.awaitDurable(id, 1, Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertThat(waiter).isNotDone();
        writer.accept(state(id, 2, RunState.RUNNING));
        writer.accept(event(id, 3, "log", Map.of("message", "x")));
        long woke = waiter.get(30, TimeUnit.SECONDS);
        assertThat(woke).isBetween(2L, 3L);
        // Whatever the watermark says is readable from the store.
        assertThat(store.events().page(id, 0, 10)).hasSizeGreaterThanOrEqualTo((int) woke);
        writer.flush();
        assertThat(writer.durableSeq(id)).isEqualTo(3);

        writer.accept(state(id, 4, RunState.SUCCEEDED));
        writer.runEnded(Snapshots.ended(queued(id, "w.groovy", Instant.now()), RunState.SUCCEEDED, Instant.now(), 4));
        writer.flush();
        // Once a run has ended its watermark is its stored last sequence number.
        assertThat(writer.durableSeq(id)).isEqualTo(4);
        assertThat(writer.awaitDurable(id, 4, Duration.ofMillis(50))).isEqualTo(4);
    }

    @Test
    void aReplayedEventIsNotStoredTwice() throws Exception {
        EventWriter writer = store.writer();
        String id = "01RUNREPLAY000000000000000";
        writer.accept(state(id, 1, RunState.QUEUED));
        writer.runCreated(queued(id, "r.groovy", Instant.now()));
        writer.accept(event(id, 2, "log", Map.of("message", "once")));
        writer.flush();
        writer.accept(event(id, 2, "log", Map.of("message", "once")));
        writer.accept(event(id, 3, "log", Map.of("message", "then")));
        writer.accept(event(id, 3, "log", Map.of("message", "then")));
        writer.flush();
        assertThat(store.events().page(id, 0, 10)).extracting(RunEvent::seq).containsExactly(1L, 2L, 3L);
        assertThat(writer.dropped()).isZero();
    }

    @Test
    void aBadItemCostsOnlyItselfAndTheRestOfItsBatchIsWritten() throws Exception {
        EventWriter writer = store.writer();
        // A kind longer than the column holds: the database refuses that one row.
        String id = "01RUNPOISON000000000000000";
        writer.accept(event(id, 1, "log", Map.of("message", "before")));
        writer.accept(event(id, 2, "k".repeat(40), Map.of("message", "refused")));
        writer.accept(event(id, 3, "log", Map.of("message", "after")));
        writer.flush();
        assertThat(store.events().page(id, 0, 10)).extracting(RunEvent::seq).containsExactly(1L, 3L);
        assertThat(writer.dropped()).isEqualTo(1);
        assertThat(writer.pending()).isZero();
    }

    @Test
    void closeWritesEverythingAcceptedAndTheStoreReopensWithAllOfIt() throws Exception {
        store.scripts().push("keep.groovy", "1", "alice");
        store.tokens().create("ci", Role.OPERATOR, "alice");
        EventWriter writer = store.writer();
        String id = "01RUNCLOSE0000000000000000";
        writer.accept(state(id, 1, RunState.QUEUED));
        writer.runCreated(queued(id, "keep.groovy", Instant.now()));
        for (int i = 2; i <= 20_000; i++) {
            writer.accept(output(id, i, "stdout", "line " + i));
        }
        // No flush: close must drain.
        Store reopened = reopen();
        assertThat(reopened.events().count(id)).isEqualTo(20_000);
        assertThat(reopened.writer().durableSeq(id)).isEqualTo(20_000);
        assertThat(reopened.scripts().latest("keep.groovy").source()).isEqualTo("1");
        assertThat(reopened.tokens().list()).extracting(TokenInfo::name).containsExactly("ci");
        assertThatThrownBy(() -> writer.accept(state(id, 20_001, RunState.RUNNING)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        // A second open of the same schema has nothing left to migrate and keeps working.
        assertThat(reopen().runs().get(id)).isPresent();
    }

    // ---- output ----

    @Test
    void outputIsReadByByteOffsetAcrossALargeLog() throws Exception {
        EventWriter writer = store.writer();
        String id = "01RUNOUTPUT000000000000000";
        writer.accept(state(id, 1, RunState.QUEUED));
        RunSnapshot run = queued(id, "out.groovy", Instant.now());
        writer.runCreated(run);
        writer.accept(state(id, 2, RunState.RUNNING));
        StringBuilder all = new StringBuilder();
        StringBuilder stdout = new StringBuilder();
        StringBuilder stderr = new StringBuilder();
        long seq = 2;
        for (int i = 0; i < 30_000; i++) {
            String stream = i % 7 == 0 ? "stderr" : "stdout";
            String line = "line " + i + (i % 11 == 0 ? " — ünïcødé 𝄞" : "") + " " + "x".repeat(i % 50);
            writer.accept(output(id, ++seq, stream, line));
            if (i % 1000 == 0) {
                writer.accept(event(id, ++seq, "log", Map.of("message", "not output")));
            }
            all.append(line).append('\n');
            (stream.equals("stderr") ? stderr : stdout).append(line).append('\n');
        }
        writer.flush();
        byte[] allBytes = all.toString().getBytes(StandardCharsets.UTF_8);
        // Seeking goes through a mark every 256 output lines, not a row per line.
        assertThat(count("SELECT COUNT(*) FROM run_output_marks WHERE run_id = '" + id + "'"))
                .isEqualTo((30_000 + 255) / 256);

        // Reading in chunks gives back exactly the whole log.
        assertThat(readAll(id, null, 65_536)).isEqualTo(all.toString());
        assertThat(readAll(id, StdStream.STDOUT, 100_000)).isEqualTo(stdout.toString());
        assertThat(readAll(id, StdStream.STDERR, 4096)).isEqualTo(stderr.toString());

        // Seeking into the middle of a line starts there.
        long middle = allBytes.length / 2;
        OutputChunk chunk = store.events().output(id, middle, 1000);
        assertThat(chunk.offset()).isEqualTo(middle);
        assertThat(chunk.text().getBytes(StandardCharsets.UTF_8))
                .isEqualTo(java.util.Arrays.copyOfRange(allBytes, (int) middle, (int) chunk.nextOffset()));
        assertThat(chunk.nextOffset() - middle).isLessThanOrEqualTo(1000);
        assertThat(chunk.more()).isTrue();

        // A line longer than the limit comes in pieces, never splitting a character.
        OutputChunk piece = store.events().output(id, 0, 3);
        assertThat(piece.text()).isEqualTo("lin");
        OutputChunk tiny = store.events().output(id, 0, 5);
        assertThat(tiny.text()).isEqualTo("line ");

        // At the end of a live run there is nothing yet, but more may come.
        OutputChunk end = store.events().output(id, allBytes.length, 1000);
        assertThat(end.text()).isEmpty();
        assertThat(end.nextOffset()).isEqualTo(allBytes.length);
        assertThat(end.more()).isTrue();

        writer.accept(state(id, ++seq, RunState.SUCCEEDED));
        writer.runEnded(Snapshots.ended(run, RunState.SUCCEEDED, Instant.now(), seq));
        writer.flush();
        assertThat(store.events().output(id, allBytes.length, 1000).more()).isFalse();
        assertThat(store.events().output(id, allBytes.length - 5, 1000).more()).isFalse();
        assertThat(store.events().output("01RUNNOSUCH000000000000000", 0, 1000))
                .isEqualTo(new OutputChunk("", 0, 0, false));
        assertThatThrownBy(() -> store.events().output(id, -1, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void outputOffsetsContinueAcrossAReopen() throws Exception {
        String id = "01RUNOUTREOPEN000000000000";
        store.writer().accept(state(id, 1, RunState.QUEUED));
        store.writer().runCreated(queued(id, "o.groovy", Instant.now()));
        store.writer().accept(output(id, 2, "stdout", "first"));
        reopen();
        // Events of a run this process never saw created (an agent's replay, say) continue its offsets.
        store.writer().accept(output(id, 3, "stderr", "second"));
        store.writer().accept(output(id, 4, "stdout", "third"));
        store.writer().flush();
        assertThat(store.events().output(id, 0, 1000).text()).isEqualTo("first\nsecond\nthird\n");
        assertThat(store.events().output(id, 6, 1000).text()).isEqualTo("second\nthird\n");
        assertThat(store.events().output(id, 6, 1000, StdStream.STDOUT).text()).isEqualTo("third\n");
    }

    private String readAll(String runId, StdStream stream, int chunkBytes) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        long offset = 0;
        int reads = 0;
        while (true) {
            OutputChunk chunk = store.events().output(runId, offset, chunkBytes, stream);
            byte[] bytes = chunk.text().getBytes(StandardCharsets.UTF_8);
            assertThat(bytes.length).isLessThanOrEqualTo(chunkBytes);
            assertThat(chunk.nextOffset()).isEqualTo(offset + bytes.length);
            out.writeBytes(bytes);
            offset = chunk.nextOffset();
            reads++;
            if (bytes.length == 0) {
                break;
            }
        }
        assertThat(reads).isGreaterThan(1);
        return out.toString(StandardCharsets.UTF_8);
    }

    // ---- tokens, audit, nodes ----

    @Test
    void tokensAreShownOnceAndStoredOnlyAsTheirHash() throws Exception {
        NewToken created = store.tokens().create("deploy-bot", Role.OPERATOR, "admin");
        String token = created.token();
        assertThat(token).startsWith("stw_").hasSize(4 + 43);
        assertThat(created.toString()).doesNotContain(token.substring(4));
        assertThat(store.tokens().create("other", Role.VIEWER, "admin").token()).isNotEqualTo(token);

        try (Connection c = connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM tokens WHERE name = 'deploy-bot'")) {
            assertThat(rs.next()).isTrue();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                String value = rs.getString(i);
                assertThat(value == null ? "" : value).doesNotContain(token).doesNotContain(token.substring(4));
            }
            assertThat(rs.getString("token_hash")).isEqualTo(ScriptText.sha256(token));
        }

        TokenInfo info = store.tokens().authenticate(token).orElseThrow();
        assertThat(info.name()).isEqualTo("deploy-bot");
        assertThat(info.role()).isEqualTo(Role.OPERATOR);
        assertThat(info.createdBy()).isEqualTo("admin");
        assertThat(info.toMap()).containsEntry("role", "operator").doesNotContainKey("token");
        assertThat(store.tokens().authenticate(token + "x")).isEmpty();
        assertThat(store.tokens().authenticate("stw_" + "A".repeat(43))).isEmpty();
        assertThat(store.tokens().authenticate(null)).isEmpty();
        assertThat(store.tokens().authenticate("")).isEmpty();
        assertThat(store.tokens().list()).extracting(TokenInfo::name).containsExactly("deploy-bot", "other");
    }

    @Test
    void aRevokedTokenIsRefusedAtOnceEvenRightAfterItWasRemembered() {
        NewToken ci = store.tokens().create("ci", Role.OPERATOR, "root");
        NewToken other = store.tokens().create("other", Role.VIEWER, "root");
        for (int i = 0; i < 3; i++) {
            assertThat(store.tokens().authenticate(ci.token())).map(TokenInfo::name).contains("ci");
            assertThat(store.tokens().authenticate(other.token())).map(TokenInfo::name).contains("other");
        }

        assertThat(store.tokens().revoke("ci")).isTrue();
        assertThat(store.tokens().authenticate(ci.token())).isEmpty();
        assertThat(store.tokens().authenticate(other.token())).map(TokenInfo::role).contains(Role.VIEWER);
        // A new token of the old name is a new secret: the old one stays refused.
        NewToken again = store.tokens().create("ci", Role.ADMIN, "root");
        assertThat(store.tokens().authenticate(again.token())).map(TokenInfo::role).contains(Role.ADMIN);
        assertThat(store.tokens().authenticate(ci.token())).isEmpty();
    }

    @Test
    void aTokenDeletedPastTheStoreIsRefusedOnceItsShortMemoryRunsOut() throws Exception {
        TokenStore tokens = new TokenStore(store.db(), Duration.ofMillis(200));
        NewToken ci = tokens.create("ci", Role.OPERATOR, "root");
        assertThat(tokens.authenticate(ci.token())).isPresent();
        try (Connection c = connection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM tokens WHERE name = 'ci'");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> tokens.authenticate(ci.token()).isEmpty());
    }

    @Test
    void aTokenKeepsItsScopeAndExpiryAndAnExpiredOneIsFoundWithItsExpiry() throws Exception {
        Instant soon = Instant.now().plusSeconds(1);
        NewToken scoped = store.tokens().create("deployer", Role.OPERATOR, "root",
                new TokenSpec(Instant.now().plus(Duration.ofDays(7)), "deploy/*", "env=lab"));
        NewToken brief = store.tokens().create("brief", Role.VIEWER, "root", new TokenSpec(soon, null, null));
        TokenInfo info = reopen().tokens().authenticate(scoped.token()).orElseThrow();
        assertThat(info.scripts()).isEqualTo("deploy/*");
        assertThat(info.nodes()).isEqualTo("env=lab");
        assertThat(info.expiresAt()).isAfter(Instant.now().plus(Duration.ofDays(6)));
        assertThat(info.scoped()).isTrue();
        assertThat(info.toMap()).containsEntry("scripts", "deploy/*").containsEntry("nodes", "env=lab");
        assertThat(store.tokens().authenticate(brief.token()).orElseThrow().expiredAt(Instant.now())).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> store.tokens().authenticate(brief.token())
                .map(i -> i.expiredAt(Instant.now())).orElse(false));
        assertThat(store.tokens().authenticate(brief.token()).orElseThrow().expiresAt())
                .isEqualTo(soon.truncatedTo(java.time.temporal.ChronoUnit.MICROS));

        assertThatThrownBy(() -> store.tokens().create("late", Role.VIEWER, "root",
                new TokenSpec(Instant.now().minusSeconds(1), null, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not in the future");
        assertThatThrownBy(() -> store.tokens().create("wide", Role.VIEWER, "root",
                new TokenSpec(null, "x".repeat(256), null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scripts");
        assertThat(store.tokens().exists("late")).isFalse();
        assertThat(store.tokens().exists("wide")).isFalse();
    }

    @Test
    void lastUseIsKeptInMemoryAndWrittenAtMostOncePerIntervalAndAtClose() throws Exception {
        TokenStore tokens = new TokenStore(store.db(), Duration.ofSeconds(5), Duration.ofMillis(700));
        NewToken ci = tokens.create("ci", Role.OPERATOR, "root");
        assertThat(tokens.list().getFirst().lastUsedAt()).isNull();

        Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        for (int i = 0; i < 200; i++) {
            tokens.authenticate(ci.token());
        }
        // The first use is written at once, the other 199 only remembered.
        assertThat(tokens.useWrites()).isEqualTo(1);
        assertThat(storedLastUse("ci")).isNotNull().isAfterOrEqualTo(before);
        Instant inMemory = tokens.list().getFirst().lastUsedAt();
        assertThat(inMemory).isAfterOrEqualTo(storedLastUse("ci"));

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
            tokens.authenticate(ci.token());
            return tokens.useWrites() == 2;
        });
        for (int i = 0; i < 50; i++) {
            tokens.authenticate(ci.token());
        }
        assertThat(tokens.useWrites()).isEqualTo(2);
        Instant last = tokens.list().getFirst().lastUsedAt();
        assertThat(storedLastUse("ci")).isBefore(last);
        tokens.flushUses();
        assertThat(storedLastUse("ci")).isEqualTo(last);
        assertThat(tokens.useWrites()).isEqualTo(3);
        tokens.flushUses();
        assertThat(tokens.useWrites()).as("nothing new to write").isEqualTo(3);
    }

    @Test
    void theStoreWritesTheLastUsesItHasNotWrittenWhenItCloses() {
        NewToken ci = store.tokens().create("ci", Role.OPERATOR, "root");
        store.tokens().authenticate(ci.token());
        store.tokens().authenticate(ci.token());
        Instant last = store.tokens().list().getFirst().lastUsedAt();
        assertThat(reopen().tokens().list().getFirst().lastUsedAt()).isEqualTo(last);
    }

    @Test
    void revokeListenersHearOfEachRevokeOnceItCommitted() {
        store.tokens().create("ci", Role.OPERATOR, "root");
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        Runnable stop = store.tokens().onRevoke(name -> {
            heard.add(name + ":" + store.tokens().exists(name));
        });
        store.tokens().revoke("ci");
        store.tokens().revoke("nobody");
        assertThat(heard).containsExactly("ci:false");
        stop.run();
        store.tokens().create("ci", Role.OPERATOR, "root");
        store.tokens().revoke("ci");
        assertThat(heard).hasSize(1);
    }

    private Instant storedLastUse(String name) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT last_used_at FROM tokens WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return Database.getInstant(rs, "last_used_at");
            }
        }
    }

    @Test
    void auditIdsFollowTheOrderOfEntriesAcrossAReopen() throws Exception {
        for (int i = 0; i < 40; i++) {
            store.audit().recordLater("alice", "invoke", "run-" + i, Map.of());
        }
        store.writer().flush();
        store.audit().record("alice", "push", "before-reopen", Map.of());
        reopen();
        store.audit().record("alice", "push", "after-reopen", Map.of());
        List<AuditEntry> entries = store.audit().list(100);
        assertThat(entries).hasSize(42);
        assertThat(entries.get(0).target()).isEqualTo("after-reopen");
        assertThat(entries.get(1).target()).isEqualTo("before-reopen");
        assertThat(entries.get(41).target()).isEqualTo("run-0");
        assertThat(entries).extracting(AuditEntry::id).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    }

    @Test
    void tokenNamesAreUniqueAndRevokingStopsATokenAtOnce() {
        NewToken first = store.tokens().create("ci", Role.ADMIN, "root");
        assertThatThrownBy(() -> store.tokens().create("ci", Role.VIEWER, "root"))
                .isInstanceOf(StoreConflictException.class).hasMessageContaining("'ci' already exists");
        assertThatThrownBy(() -> store.tokens().create("bad name", Role.VIEWER, "root"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token name");
        assertThatThrownBy(() -> store.tokens().create("x", null, "root")).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.tokens().list()).hasSize(1);
        assertThat(store.tokens().exists("ci")).isTrue();
        assertThat(store.tokens().exists("x")).isFalse();

        assertThat(store.tokens().revoke("ci")).isTrue();
        assertThat(store.tokens().revoke("ci")).isFalse();
        assertThat(store.tokens().exists("ci")).isFalse();
        assertThat(store.tokens().authenticate(first.token())).isEmpty();
        assertThat(store.tokens().list()).isEmpty();
        // The name is free again, with a new secret.
        NewToken again = store.tokens().create("ci", Role.VIEWER, "root");
        assertThat(again.token()).isNotEqualTo(first.token());
        assertThat(store.tokens().authenticate(again.token()).orElseThrow().role()).isEqualTo(Role.VIEWER);
    }

    @Test
    void theAuditLogListsEntriesNewestFirst() throws Exception {
        store.audit().record("alice", "script.push", "deploy.groovy", Map.of("version", 3L));
        store.audit().record("bob", "token.create", "ci", Map.of("role", "operator"));
        store.audit().recordLater("carol", "run.invoke", "01RUNX", null);
        store.writer().flush();
        List<AuditEntry> entries = store.audit().list(10);
        assertThat(entries).extracting(AuditEntry::actor).containsExactly("carol", "bob", "alice");
        assertThat(entries.get(2).details()).isEqualTo(Map.of("version", 3L));
        assertThat(entries.get(2).action()).isEqualTo("script.push");
        assertThat(entries.get(2).target()).isEqualTo("deploy.groovy");
        assertThat(entries.get(0).details()).isNull();
        assertThat(entries.get(0).toMap()).containsKeys("time", "actor", "action", "target", "details");
        assertThat(store.audit().list(1)).hasSize(1);
        assertThatThrownBy(() -> store.audit().record("", "x", null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nodesAreUpsertedAndListed() {
        NodeInfo primary = NodeInfo.local("primary", Map.of("role", "web"));
        store.nodes().upsert(primary, "online");
        Instant seen = Instant.now().truncatedTo(ChronoUnit.MICROS);
        store.nodes().upsert("agent-1", Map.of("name", "agent-1", "cpus", 4L, "labels", Map.of("zone", "b")),
                "online", seen);
        store.nodes().upsert("agent-1", Map.of("name", "agent-1", "cpus", 8L, "labels", Map.of("zone", "c")),
                "offline", seen.plusSeconds(1));

        assertThat(store.nodes().list()).extracting(NodeRecord::name).containsExactly("agent-1", "primary");
        NodeRecord agent = store.nodes().get("agent-1").orElseThrow();
        assertThat(agent.state()).isEqualTo("offline");
        assertThat(agent.info()).containsEntry("cpus", 8L);
        assertThat(agent.labels()).isEqualTo(Map.of("zone", "c"));
        assertThat(agent.lastSeen()).isEqualTo(seen.plusSeconds(1));
        NodeRecord self = store.nodes().get("primary").orElseThrow();
        assertThat(self.info()).containsEntry("host", primary.host()).containsEntry("os", primary.os());
        assertThat(self.toMap()).containsEntry("labels", Map.of("role", "web")).containsKeys("lastSeen", "info");
        assertThat(store.nodes().get("nobody")).isEmpty();
    }

    // ---- retention ----

    @Test
    void pruningByAgeDeletesOldFinishedRunsWithTheirEventsAndOutput() throws Exception {
        EventWriter writer = store.writer();
        Instant old = Instant.now().minus(10, ChronoUnit.DAYS);
        Snapshots.finishedRun(writer, "01RUNAGE00000000000000OLD1", "a.groovy", old, old, 5);
        Snapshots.finishedRun(writer, "01RUNAGE00000000000000OLD2", "a.groovy", old, old.plusSeconds(60), 5);
        Snapshots.finishedRun(writer, "01RUNAGE00000000000000NEW1", "a.groovy", Instant.now(), Instant.now(), 5);
        // Old but still running: never pruned.
        writer.runCreated(queued("01RUNAGE00000000000000LIVE", "a.groovy", old));
        writer.accept(output("01RUNAGE00000000000000OLD1", 99, "stdout", "late line"));
        writer.flush();

        assertThat(store.runs().prune(Duration.ofDays(5), 0)).isEqualTo(2);
        assertThat(store.runs().get("01RUNAGE00000000000000OLD1")).isEmpty();
        assertThat(store.runs().get("01RUNAGE00000000000000OLD2")).isEmpty();
        assertThat(store.runs().get("01RUNAGE00000000000000NEW1")).isPresent();
        assertThat(store.runs().get("01RUNAGE00000000000000LIVE")).isPresent();
        assertThat(count("SELECT COUNT(*) FROM run_events WHERE run_id LIKE '%OLD%'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM run_output_marks WHERE run_id LIKE '%OLD%'")).isZero();
        assertThat(store.events().count("01RUNAGE00000000000000NEW1")).isEqualTo(8);
        assertThat(store.runs().prune(Duration.ofDays(5), 0)).isZero();
    }

    @Test
    void pruningByCountKeepsTheNewestFinishedRuns() throws Exception {
        EventWriter writer = store.writer();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String id = String.format("01RUNCOUNT%016d", i);
            ids.add(id);
            Snapshots.finishedRun(writer, id, "c.groovy", Instant.now(), Instant.now(), 2);
        }
        // The newest run of all, but live: never pruned, and not counted among the finished ones kept.
        writer.runCreated(queued("01RUNCOUNTLIVE000000000000", "c.groovy", Instant.now()));
        writer.flush();
        assertThat(store.runs().prune(null, 10)).isEqualTo(20);
        List<String> kept = new ArrayList<>(List.of("01RUNCOUNTLIVE000000000000"));
        kept.addAll(ids.subList(20, 30).reversed());
        assertThat(store.runs().list(RunQuery.newest(100)).runs()).extracting(RunRecord::id)
                .containsExactlyElementsOf(kept);
        assertThat(count("SELECT COUNT(*) FROM run_events")).isEqualTo(10 * 5);
        assertThat(store.runs().prune(null, 10)).isZero();
    }

    @Test
    void theHistoryPrunerPrunesInTheBackground() throws Exception {
        for (int i = 0; i < 12; i++) {
            Snapshots.finishedRun(store.writer(), String.format("01RUNBG%019d", i), "p.groovy", Instant.now(),
                    Instant.now(), 1);
        }
        store.writer().flush();
        store.close();
        store = Store.open(configured.retention(Duration.ofDays(1), 4).pruneEvery(Duration.ofMillis(200)).build());
        await().atMost(Duration.ofSeconds(30)).until(() -> store.runs().list(RunQuery.newest(100)).runs().size() == 4);
        assertThat(store.runs().list(RunQuery.newest(100)).runs()).extracting(RunRecord::id)
                .containsExactly("01RUNBG0000000000000000011", "01RUNBG0000000000000000010",
                        "01RUNBG0000000000000000009", "01RUNBG0000000000000000008");
        assertThat(store.pruner().pruneNow()).isZero();
    }

    // ---- crash ----

    /** The arguments {@link CrashingWriter} needs to open this test's database: URL, user, password. */
    List<String> childDatabase() {
        StoreConfig config = store.config();
        return List.of(config.jdbcUrl(), config.user() == null ? "" : config.user(), config.password());
    }

    @Test
    void aKilledWriterLosesNothingItHadFlushedAndTheDatabaseReopens() throws Exception {
        List<String> database = childDatabase();
        store.close();
        store = null;
        String runId = "01RUNCRASH0000000000000000";
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-cp", classPath, CrashingWriter.class.getName()));
        command.addAll(database);
        command.add(runId);
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        AtomicLong flushed = new AtomicLong();
        AtomicLong pushed = new AtomicLong();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            // Kill it in the middle of its work, after it has committed a fair amount.
            while (flushed.get() < 30_000 && (line = out.readLine()) != null) {
                if (line.startsWith("flushed ")) {
                    flushed.set(Long.parseLong(line.substring(8)));
                } else if (line.startsWith("pushed ")) {
                    pushed.set(Long.parseLong(line.substring(7)));
                }
            }
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(flushed.get()).as("the child reported progress before it was killed").isGreaterThan(0);

        store = Store.open(configured.build());
        long stored = store.events().count(runId);
        assertThat(stored).isGreaterThanOrEqualTo(flushed.get());
        // No holes: every stored event is one of 1..n.
        assertThat(count("SELECT MAX(seq) FROM run_events WHERE run_id = '" + runId + "'")).isEqualTo(stored);
        assertThat(store.scripts().latest("crash.groovy").version()).isGreaterThanOrEqualTo((int) pushed.get());
        assertThat(store.scripts().history("crash.groovy")).hasSizeGreaterThanOrEqualTo((int) pushed.get());
        // The run was live when its process died: the next start marks it LOST, its events stay.
        assertThat(store.runs().markLost("the primary was killed")).isEqualTo(1);
        RunRecord lost = store.runs().get(runId).orElseThrow();
        assertThat(lost.state()).isEqualTo(RunState.LOST);
        assertThat(lost.lastSeq()).isEqualTo(stored);
        OutputChunk output = store.events().output(runId, 0, 1 << 20);
        assertThat(output.text()).startsWith("round 1 line 0\nround 1 line 1\n");
        // The store keeps working after the crash.
        store.scripts().push("after.groovy", "1", "alice");
        store.writer().accept(event(runId, stored + 1, "log", Map.of("message", "after the crash")));
        store.writer().flush();
        assertThat(store.events().count(runId)).isEqualTo(stored + 1);
    }

    // ---- coordination ----

    @Test
    void coordinationStateSurvivesAReopenWithNothingLostAndNothingDeliveredTwice() throws Exception {
        io.steward.coordination.LocalCoordination c = new io.steward.coordination.LocalCoordination(store.coordination(), System::currentTimeMillis);
        io.steward.coordination.Owner taker = new io.steward.coordination.Owner("r1", "n", "t");
        c.vars().put("global", "release", Map.of("v", 7, "tags", List.of("a", "b")), 0);
        c.vars().put("global", "release", Map.of("v", 8), 0);
        c.vars().put("node:web-1", "role", "web", 60_000);
        c.vars().put("global", "gone", 1, 1);
        for (int i = 0; i < 10; i++) {
            c.queues().put("builds", Map.of("n", i));
        }
        List<Object> taken = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            taken.add(c.queues().take("builds", taker, 0).value());
        }
        c.pools().add("phones", "pixel", Map.of("serial", "X1"));
        c.pools().add("phones", "iphone", null);
        c.pools().remove("phones", "iphone");
        c.events().post("ready");
        c.events().post("later");
        c.events().reset("later");

        io.steward.coordination.LocalCoordination after = new io.steward.coordination.LocalCoordination(reopen().coordination(),
                System::currentTimeMillis);
        await().until(() -> after.vars().get("global", "gone") == null);
        assertThat(after.vars().get("global", "release").value()).isEqualTo(Map.of("v", 8L));
        assertThat(after.vars().get("global", "release").version()).isEqualTo(2);
        assertThat(after.vars().compareAndSet("global", "release", Map.of("v", 8), Map.of("v", 9), 0)).isNotNull();
        assertThat(after.vars().get("node:web-1", "role").expiresAt()).isNotNull();
        List<Object> rest = new ArrayList<>();
        io.steward.coordination.Journal.StoredMessage m;
        while ((m = after.queues().take("builds", taker, 0)) != null) {
            rest.add(m.value());
        }
        assertThat(taken).containsExactly(Map.of("n", 0L), Map.of("n", 1L), Map.of("n", 2L));
        assertThat(rest).containsExactly(Map.of("n", 3L), Map.of("n", 4L), Map.of("n", 5L), Map.of("n", 6L),
                Map.of("n", 7L), Map.of("n", 8L), Map.of("n", 9L));
        // ids go on past the stored ones, so a put after the reopen queues behind, never beside, an old message
        after.queues().put("builds", "new");
        assertThat(after.queues().take("builds", taker, 0).value()).isEqualTo("new");
        assertThat(count("SELECT COUNT(*) FROM coord_messages")).isZero();
        assertThat(after.pools().view("phones").get("entries")).asList().hasSize(1);
        assertThat(after.events().isPosted("ready")).isTrue();
        assertThat(after.events().isPosted("later")).isFalse();
        // an expired variable reads as absent at once and leaves the store at the sweep
        assertThat(count("SELECT COUNT(*) FROM coord_vars WHERE name = 'gone'")).isEqualTo(1);
        assertThat(after.vars().sweep()).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM coord_vars WHERE name = 'gone'")).isZero();
    }
}
