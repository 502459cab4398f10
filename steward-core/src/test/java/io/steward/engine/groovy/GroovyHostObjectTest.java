package io.steward.engine.groovy;

import io.steward.coordinator.RunEvent;
import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import io.steward.coordinator.Scripts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every member of the host object, seen from Groovy. The JavaScript twin of this test expects the same. */
class GroovyHostObjectTest {
    @RegisterExtension
    final Scripts scripts = new Scripts();

    private RunSnapshot succeed(String name, String source) throws InterruptedException {
        RunSnapshot run = scripts.run(name, source);
        assertThat(run.state()).as("%s ended with %s", name, run.error()).isEqualTo(RunState.SUCCEEDED);
        return run;
    }

    @Test
    void returnsTheLastExpressionAsResult() throws Exception {
        assertThat(succeed("answer.groovy", "def x = 40\nx + 2").result()).isEqualTo(42L);
    }

    @Test
    void seesArgsRunIdAndNode() throws Exception {
        scripts.write("who.groovy", "[greeting: \"hello ${args.name}\", id: runId, node: node.name, cpus: node.cpus]");
        RunSnapshot run = scripts.run("who.groovy", Map.of("name", "world"));
        assertThat(run.result()).isEqualTo(Map.of("greeting", "hello world", "id", run.id(),
                "node", scripts.coordinator().node().name(), "cpus", (long) Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void logWritesLogEvents() throws Exception {
        RunSnapshot run = succeed("log.groovy", "log.info('one'); log.warn('two'); log.error('three')");
        assertThat(scripts.events(run.id(), "log")).extracting(RunEvent::data).containsExactly(
                Map.of("level", "info", "message", "one"), Map.of("level", "warn", "message", "two"),
                Map.of("level", "error", "message", "three"));
    }

    @Test
    void sharedDataIsPublishedAndReadable() throws Exception {
        RunSnapshot run = succeed("shared.groovy", """
                shared.put('hosts', ['a', 'b'])
                shared.put('count', 2)
                shared.put('gone', true)
                shared.remove('gone')
                [get: shared.get('hosts'), keys: shared.keys(), map: shared.asMap()]
                """);
        assertThat(run.shared()).isEqualTo(Map.of("hosts", List.of("a", "b"), "count", 2L));
        assertThat(run.result()).isEqualTo(Map.of("get", List.of("a", "b"), "keys", List.of("hosts", "count"),
                "map", Map.of("hosts", List.of("a", "b"), "count", 2L)));
        assertThat(scripts.events(run.id(), "shared")).extracting(e -> e.data().get("key"))
                .containsExactly("hosts", "count", "gone", "gone");
    }

    @Test
    void privateDataIsReadableByTheRunOnly() throws Exception {
        RunSnapshot run = succeed("priv.groovy", """
                priv.put('secret', 's3cr3t')
                priv.put('other', 1)
                priv.remove('other')
                def t = spawn { priv.get('secret') }
                [fromThread: t.join() == 's3cr3t', keys: priv.keys()]
                """);
        assertThat(run.result()).isEqualTo(Map.of("fromThread", true, "keys", List.of("secret")));
        assertThat(run.toMap().toString()).doesNotContain("s3cr3t");
        assertThat(scripts.events(run.id()).toString()).doesNotContain("s3cr3t");
    }

    @Test
    void statusValuesEventsAndProgress() throws Exception {
        RunSnapshot run = succeed("status.groovy", """
                status.set('phase', 'build')
                status.event('compiled', [files: 3])
                status.progress(0.5, 'half way')
                status.get('phase')
                """);
        assertThat(run.result()).isEqualTo("build");
        assertThat(run.statusValues()).isEqualTo(Map.of("phase", "build"));
        assertThat(run.progress()).containsEntry("fraction", 0.5).containsEntry("message", "half way");
        assertThat(scripts.events(run.id(), "event")).singleElement().extracting(RunEvent::data)
                .isEqualTo(Map.of("name", "compiled", "data", Map.of("files", 3L)));
        assertThat(scripts.events(run.id(), "progress")).hasSize(1);
    }

    @Test
    void spawnRunsOnANamedScriptThreadAndJoinReturnsItsValue() throws Exception {
        RunSnapshot run = succeed("spawn.groovy", """
                def t = spawn { Thread.currentThread().name }
                [name: t.join(), main: Thread.currentThread().name, virtual: Thread.currentThread().virtual]
                """);
        assertThat(run.result()).isEqualTo(Map.of("name", "run-" + run.id() + "/2",
                "main", "run-" + run.id() + "/1", "virtual", true));
        assertThat(run.threadsStarted()).isEqualTo(2);
    }

    @Test
    void parallelReturnsResultsInItemOrder() throws Exception {
        RunSnapshot run = succeed("parallel.groovy", """
                parallel([3, 1, 2]) { n -> sleep(n * 20); n * 10 }
                """);
        assertThat(run.result()).isEqualTo(List.of(30L, 10L, 20L));
        assertThat(run.threadsStarted()).isEqualTo(4);
    }

    @Test
    void execRunsALocalProcessWithOptions() throws Exception {
        Path work = scripts.dir().resolve("work");
        java.nio.file.Files.createDirectories(work);
        RunSnapshot run = succeed("exec.groovy", """
                def a = exec('echo "$GREETING from $(pwd)"; cat; exit 3', dir: args.dir, env: [GREETING: 'hi'], stdin: 'piped')
                def b = exec(['printf', '%s', 'argv'])
                [a.exitCode, a.stdout, b.stdout, b.exitCode, a.pid > 0, a.durationMs >= 0]
                """.replace("args.dir", "'" + work + "'"));
        assertThat(run.result()).isEqualTo(List.of(3L, "hi from " + work + "\npiped", "argv", 0L, true, true));
        assertThat(scripts.events(run.id(), "output")).extracting(e -> e.data().get("line"))
                .containsExactly("hi from " + work, "piped", "argv");
    }

    @Test
    void execWithCheckFailsTheRunOnNonZeroExit() throws Exception {
        RunSnapshot run = scripts.run("check.groovy", "\n\nexec('echo bad >&2; exit 7', check: true)\n");
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.error().line()).isEqualTo(3);
        assertThat(run.error().message()).contains("exited with 7").contains("bad");
    }

    @Test
    void startGivesAProcessHandle() throws Exception {
        RunSnapshot run = succeed("start.groovy", """
                def p = start('echo started; sleep 600')
                while (!p.output.contains('started')) { sleep(5) }
                def alive = p.isAlive()
                def early = p.waitFor(10)
                p.kill()
                def end = p.waitFor()
                [alive: alive, early: early, killed: end.killed, pid: p.pid == end.pid, output: p.output, aliveAfter: p.isAlive()]
                """);
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) run.result();
        assertThat(result).containsEntry("alive", true).containsEntry("early", null).containsEntry("killed", true)
                .containsEntry("pid", true).containsEntry("output", "started\n").containsEntry("aliveAfter", false);
    }

    @Test
    void includeEvaluatesAnotherScriptSharingGlobals() throws Exception {
        scripts.write("lib/util.groovy", "greet = { who -> \"hello $who\" }\n'util loaded'");
        RunSnapshot run = succeed("main.groovy", "def loaded = include('lib/util.groovy')\n[loaded, greet('you')]");
        assertThat(run.result()).isEqualTo(List.of("util loaded", "hello you"));
    }

    @Test
    void sleepAndNow() throws Exception {
        RunSnapshot run = succeed("time.groovy", "def t0 = now(); sleep(30); now() - t0");
        assertThat((Long) run.result()).isGreaterThanOrEqualTo(30L);
    }

    @Test
    void anUnknownNameIsAClearError() throws Exception {
        RunSnapshot run = scripts.run("unknown.groovy", "\nnoSuchThing + 1");
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.error().script()).isEqualTo("unknown.groovy");
        assertThat(run.error().line()).isEqualTo(2);
        assertThat(run.error().message()).contains("noSuchThing");
    }

    @Test
    void aNonJsonValueIsRefusedNamingKeyAndType() throws Exception {
        RunSnapshot run = scripts.run("date.groovy", "shared.put('when', new Date())");
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.error().message()).contains("shared key 'when'").contains("java.util.Date");
        assertThat(run.error().line()).isEqualTo(1);
    }

    @Test
    void aNonJsonResultFailsTheRun() throws Exception {
        RunSnapshot run = scripts.run("result.groovy", "[when: new Date()]");
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.error().message()).contains("result").contains("when").contains("java.util.Date");
    }
}
