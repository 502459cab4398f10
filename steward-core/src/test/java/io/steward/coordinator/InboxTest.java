package io.steward.coordinator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Messages into a running script (claims 34–35): {@code inbox.take}, {@code inbox.poll} and {@code onMessage}
 * in both languages, refusal for ended and unknown runs, and {@code onCancel} running before the kill.
 */
class InboxTest {
    private static final Map<String, String> TAKE = Map.of(
            "groovy", "shared.put('waiting', true); inbox.take(30_000)",
            "js", "shared.put('waiting', true); inbox.take(30000)");
    private static final Map<String, String> POLL = Map.of(
            "groovy", """
                    shared.put('empty', inbox.poll() == null)
                    def m = null
                    while (m == null) { m = inbox.poll(); if (m == null) sleep(5) }
                    m
                    """,
            "js", """
                    shared.put('empty', inbox.poll() === null);
                    var m = null;
                    while (m === null) { m = inbox.poll(); if (m === null) sleep(5); }
                    m
                    """);
    /** Waits for a trigger file, then handles messages; ends after message n = 2. */
    private static final Map<String, String> HANDLER = Map.of(
            "groovy", """
                    while (exec(['test', '-e', args.trigger]).exitCode != 0) { sleep(10) }
                    onMessage { msg -> shared.put('got' + msg.n, msg.text) }
                    while (shared.get('got2') == null) { sleep(5) }
                    'handled'
                    """,
            "js", """
                    while (exec(['test', '-e', args.trigger]).exitCode != 0) { sleep(10); }
                    onMessage(function (msg) { shared.put('got' + msg.n, msg.text); });
                    while (shared.get('got2') === null) { sleep(5); }
                    'handled'
                    """);
    /** Starts a sleep 600; on cancel, records whether it is still alive. */
    private static final Map<String, String> CLEANUP = Map.of(
            "groovy", """
                    def p = start('sleep 600')
                    onCancel { exec("kill -0 ${p.pid} && echo alive > '${args.marker}'") }
                    shared.put('pid', p.pid)
                    sleep(600_000)
                    """,
            "js", """
                    var p = start('sleep 600');
                    onCancel(function () { exec("kill -0 " + p.pid + " && echo alive > '" + args.marker + "'"); });
                    shared.put('pid', p.pid);
                    sleep(600000);
                    """);

    @TempDir
    Path dir;
    Scripts scripts;

    @BeforeEach
    void setUp() {
        scripts = new Scripts(dir, Coordinator.builder().cancelGrace(Duration.ofSeconds(10)));
    }

    @AfterEach
    void tearDown() {
        scripts.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"groovy", "js"})
    void takeGetsAMessageSentToTheRun(String lang) throws Exception {
        RunHandle run = scripts.write("take." + lang, TAKE.get(lang)).start("take." + lang, Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> run.snapshot().shared().containsKey("waiting"));
        long seq = scripts.coordinator().send(run.id(), Map.of("hello", "world", "n", 3));
        RunSnapshot end = run.await(Duration.ofSeconds(30));
        assertThat(end.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(end.result()).isEqualTo(Map.of("hello", "world", "n", 3L));
        List<RunEvent> messages = scripts.events(run.id(), "message");
        assertThat(messages).hasSize(1);
        assertThat(messages.getFirst().seq()).isEqualTo(seq);
        assertThat(messages.getFirst().data()).isEqualTo(Map.of("message", Map.of("hello", "world", "n", 3L)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"groovy", "js"})
    void takeTimesOutWithNull(String lang) throws Exception {
        String src = "groovy".equals(lang) ? "inbox.take(50) == null" : "inbox.take(50) === null";
        assertThat(scripts.run("timeout." + lang, src).result()).isEqualTo(true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"groovy", "js"})
    void pollReturnsNullWhenEmptyThenTheMessage(String lang) throws Exception {
        RunHandle run = scripts.write("poll." + lang, POLL.get(lang)).start("poll." + lang, Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> run.snapshot().shared().containsKey("empty"));
        scripts.coordinator().send(run.id(), List.of("a", 1));
        RunSnapshot end = run.await(Duration.ofSeconds(30));
        assertThat(end.shared()).containsEntry("empty", true);
        assertThat(end.result()).isEqualTo(List.of("a", 1L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"groovy", "js"})
    void onMessageHandlesQueuedAndNewMessagesOnScriptThreads(String lang) throws Exception {
        Path trigger = dir.resolve("go-" + lang);
        RunHandle run = scripts.write("handler." + lang, HANDLER.get(lang))
                .start("handler." + lang, Map.of("trigger", trigger.toString()));
        scripts.coordinator().send(run.id(), Map.of("n", 1, "text", "queued"));
        Files.createFile(trigger);
        await().atMost(Duration.ofSeconds(20)).until(() -> run.snapshot().shared().containsKey("got1"));
        scripts.coordinator().send(run.id(), Map.of("n", 2, "text", "new"));
        RunSnapshot end = run.await(Duration.ofSeconds(30));
        assertThat(end.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(end.result()).isEqualTo("handled");
        assertThat(end.shared()).containsEntry("got1", "queued").containsEntry("got2", "new");
        assertThat(end.threadsStarted()).as("main and one handler per message").isEqualTo(3);
    }

    @Test
    void aMessageToAnEndedRunIsRefused() throws Exception {
        RunSnapshot end = scripts.run("done.groovy", "1");
        assertThatThrownBy(() -> scripts.coordinator().send(end.id(), "late"))
                .isInstanceOf(RunEndedException.class)
                .hasMessage("run " + end.id() + " has already ended as SUCCEEDED: messages go to running runs only");
        assertThat(scripts.events(end.id(), "message")).isEmpty();
    }

    @Test
    void aMessageToAnUnknownRunIsNotFound() {
        assertThatThrownBy(() -> scripts.coordinator().send("nope", "hi")).isInstanceOf(RunNotFoundException.class);
    }

    @Test
    void aMessageMustBeJson() throws Exception {
        RunHandle run = scripts.write("wait.groovy", "inbox.take(30_000)").start("wait.groovy", Map.of());
        assertThatThrownBy(() -> scripts.coordinator().send(run.id(), new Object()))
                .isInstanceOf(IllegalArgumentException.class);
        scripts.coordinator().send(run.id(), null);
        assertThat(run.await(Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCEEDED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"groovy", "js"})
    void onCancelRunsBeforeTheKill(String lang) throws Exception {
        Path marker = dir.resolve("marker-" + lang);
        RunHandle run = scripts.write("cleanup." + lang, CLEANUP.get(lang))
                .start("cleanup." + lang, Map.of("marker", marker.toString()));
        await().atMost(Duration.ofSeconds(20)).until(() -> run.snapshot().shared().containsKey("pid"));
        long pid = ((Number) run.snapshot().shared().get("pid")).longValue();
        assertThat(scripts.coordinator().cancel(run.id(), "by the test")).isTrue();
        RunSnapshot end = run.await(Duration.ofSeconds(30));
        assertThat(end.state()).isEqualTo(RunState.CANCELLED);
        assertThat(marker).as("the handler ran while the sleep was alive").exists();
        assertThat(Files.readString(marker).strip()).isEqualTo("alive");
        await().atMost(Duration.ofSeconds(10)).until(() -> io.steward.process.Pids.gone(pid));
    }

    @Test
    void aStuckOnCancelHandlerGetsOnlyTheGrace() throws Exception {
        try (Scripts quick = new Scripts(dir, Coordinator.builder().cancelGrace(Duration.ofMillis(300)))) {
            RunHandle run = quick.write("stuck.groovy", """
                    onCancel { sleep(600_000) }
                    shared.put('ready', true)
                    sleep(600_000)
                    """).start("stuck.groovy", Map.of());
            await().atMost(Duration.ofSeconds(20)).until(() -> run.snapshot().shared().containsKey("ready"));
            quick.coordinator().cancel(run.id(), null);
            assertThat(run.await(Duration.ofSeconds(10)).state()).isEqualTo(RunState.CANCELLED);
        }
    }

    @Test
    void aTimeoutDoesNotRunOnCancel() throws Exception {
        Path marker = dir.resolve("timeout-marker");
        RunHandle run = scripts.write("slow.groovy", """
                onCancel { new File(args.marker).text = 'ran' }
                sleep(600_000)
                """).coordinator().invoke(new InvokeRequest("slow.groovy", 0, Map.of("marker", marker.toString()),
                Duration.ofMillis(200), null));
        assertThat(run.await(Duration.ofSeconds(10)).state()).isEqualTo(RunState.TIMED_OUT);
        assertThat(marker).doesNotExist();
    }
}
