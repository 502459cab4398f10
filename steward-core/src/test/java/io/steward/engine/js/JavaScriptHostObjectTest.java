package io.steward.engine.js;

import io.steward.coordinator.RunEvent;
import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import io.steward.coordinator.Scripts;
import io.steward.engine.HostObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Every member of the host object, seen from JavaScript: the same outcomes as GroovyHostObjectTest. */
class JavaScriptHostObjectTest {
    @RegisterExtension
    final Scripts scripts = new Scripts();

    private RunSnapshot succeed(String name, String source) throws InterruptedException {
        RunSnapshot run = scripts.run(name, source);
        assertThat(run.state()).as("%s ended with %s", name, run.error()).isEqualTo(RunState.SUCCEEDED);
        return run;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(RunSnapshot run) {
        return (Map<String, Object>) run.result();
    }

    @Test
    void returnsTheCompletionValueAsResult() throws Exception {
        assertThat(succeed("answer.js", "var x = 40\nx + 2").result()).isEqualTo(42L);
        assertThat(succeed("branch.js", "var n = 3\nif (n > 2) { 'big' } else { 'small' }").result()).isEqualTo("big");
        assertThat(succeed("nothing.js", "var quiet = 1").result()).isNull();
    }

    @Test
    void convertsTheResultToJsonValuesInPropertyOrder() throws Exception {
        RunSnapshot run = succeed("convert.js", """
                var s = 'a'; s += 'b';
                ({z: 1, f: 2.5, big: 2 ** 40, s: s, list: [1, 'x', null, true, [2]],
                  nested: {k: [{a: 1}]}, u: undefined, wrapped: new String('w')})
                """);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("z", 1L);
        expected.put("f", 2.5);
        expected.put("big", 1L << 40);
        expected.put("s", "ab");
        expected.put("list", java.util.Arrays.asList(1L, "x", null, true, List.of(2L)));
        expected.put("nested", Map.of("k", List.of(Map.of("a", 1L))));
        expected.put("u", null);
        expected.put("wrapped", "w");
        assertThat(map(run)).isEqualTo(expected);
        assertThat(map(run).keySet()).containsExactly("z", "f", "big", "s", "list", "nested", "u", "wrapped");
    }

    @Test
    void everyHostMemberResolves() throws Exception {
        String probe = HostObject.MEMBERS.stream().sorted().map(n -> n + ": typeof " + n)
                .collect(Collectors.joining(", ", "({", "})"));
        Map<String, Object> types = map(succeed("members.js", probe));
        assertThat(types).hasSize(HostObject.MEMBERS.size());
        assertThat(types).allSatisfy((name, type) -> assertThat(type).as(name).isIn("object", "function", "string"));
        assertThat(types).containsEntry("runId", "string").containsEntry("spawn", "function").containsEntry("args", "object");
    }

    @Test
    void seesArgsRunIdAndNode() throws Exception {
        scripts.write("who.js", """
                ({greeting: 'hello ' + args.name, id: runId, node: node.name, cpus: node.cpus,
                  nativeArgs: Array.isArray(args.list) && Object.keys(args).join(',')})
                """);
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("name", "world");
        args.put("list", List.of(1, 2));
        RunSnapshot run = scripts.run("who.js", args);
        assertThat(run.result()).isEqualTo(Map.of("greeting", "hello world", "id", run.id(),
                "node", scripts.coordinator().node().name(), "cpus", (long) Runtime.getRuntime().availableProcessors(),
                "nativeArgs", "name,list"));
    }

    @Test
    void logWritesLogEvents() throws Exception {
        RunSnapshot run = succeed("log.js", "log.info('one'); log.warn('two'); log.error(3)");
        assertThat(scripts.events(run.id(), "log")).extracting(RunEvent::data).containsExactly(
                Map.of("level", "info", "message", "one"), Map.of("level", "warn", "message", "two"),
                Map.of("level", "error", "message", "3"));
    }

    @Test
    void sharedDataIsPublishedAndReadable() throws Exception {
        RunSnapshot run = succeed("shared.js", """
                shared.put('hosts', ['a', 'b'])
                shared.put('count', 2)
                shared.put('gone', true)
                shared.remove('gone')
                ;({get: shared.get('hosts'), keys: shared.keys(), map: shared.asMap(), missing: shared.get('nope')})
                """);
        assertThat(run.shared()).isEqualTo(Map.of("hosts", List.of("a", "b"), "count", 2L));
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("get", List.of("a", "b"));
        expected.put("keys", List.of("hosts", "count"));
        expected.put("map", Map.of("hosts", List.of("a", "b"), "count", 2L));
        expected.put("missing", null);
        assertThat(run.result()).isEqualTo(expected);
        assertThat(scripts.events(run.id(), "shared")).extracting(e -> e.data().get("key"))
                .containsExactly("hosts", "count", "gone", "gone");
    }

    @Test
    void privateDataIsReadableByTheRunOnly() throws Exception {
        RunSnapshot run = succeed("priv.js", """
                priv.put('secret', 's3cr3t')
                priv.put('other', 1)
                priv.remove('other')
                var t = spawn(() => priv.get('secret'))
                ;({fromThread: t.join() === 's3cr3t', keys: priv.keys()})
                """);
        assertThat(run.result()).isEqualTo(Map.of("fromThread", true, "keys", List.of("secret")));
        assertThat(run.toMap().toString()).doesNotContain("s3cr3t");
        assertThat(scripts.events(run.id()).toString()).doesNotContain("s3cr3t");
    }

    @Test
    void statusValuesEventsAndProgress() throws Exception {
        RunSnapshot run = succeed("status.js", """
                status.set('phase', 'build')
                status.event('compiled', {files: 3})
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
        RunSnapshot run = succeed("spawn.js", """
                var shape = {sides: 4}
                var t = spawn(function () { return 6 * 7 })
                var copy = spawn(() => shape)
                ;({value: t.join(), name: t.name, copied: copy.join(), sameObject: copy.join() === shape})
                """);
        // Each script thread has a context of its own: what crosses between them is a copy (JSON values).
        assertThat(run.result()).isEqualTo(Map.of("value", 42L, "name", "run-" + run.id() + "/2",
                "copied", Map.of("sides", 4L), "sameObject", false));
        assertThat(run.threadsStarted()).isEqualTo(3);
    }

    @Test
    void parallelReturnsResultsInItemOrder() throws Exception {
        RunSnapshot run = succeed("parallel.js", "parallel([3, 1, 2], n => { sleep(n * 20); return n * 10 })");
        assertThat(run.result()).isEqualTo(List.of(30L, 10L, 20L));
        assertThat(run.threadsStarted()).isEqualTo(4);
    }

    @Test
    void execRunsALocalProcessWithOptions() throws Exception {
        Path work = scripts.dir().resolve("work");
        Files.createDirectories(work);
        scripts.write("exec.js", """
                var a = exec('echo "$GREETING from $(pwd)"; cat; exit 3', {dir: args.dir, env: {GREETING: 'hi'}, stdin: 'piped'})
                var b = exec(['printf', '%s', 'argv'])
                var c = exec('true', {check: true})
                ;[a.exitCode, a.stdout, b.stdout, b.exitCode, a.pid > 0, a.durationMs >= 0, c.exitCode, a.truncated]
                """);
        RunSnapshot run = scripts.run("exec.js", Map.of("dir", work.toString()));
        assertThat(run.state()).as("%s", run.error()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.result()).isEqualTo(List.of(3L, "hi from " + work + "\npiped", "argv", 0L, true, true, 0L, false));
        assertThat(scripts.events(run.id(), "output")).extracting(e -> e.data().get("line"))
                .containsExactly("hi from " + work, "piped", "argv");
    }

    @Test
    void execWithCheckFailsTheRunOnNonZeroExit() throws Exception {
        RunSnapshot run = scripts.run("check.js", "\n\nexec('echo bad >&2; exit 7', {check: true})\n");
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.error().script()).isEqualTo("check.js");
        assertThat(run.error().line()).isEqualTo(3);
        assertThat(run.error().message()).contains("exited with 7").contains("bad");
    }

    @Test
    void aFailedHostCallIsAnErrorTheScriptCanCatch() throws Exception {
        RunSnapshot run = succeed("catch.js", """
                var caught
                try { exec('exit 7', {check: true}) } catch (e) { caught = e }
                ({isError: caught instanceof Error, message: caught.message, javaHidden: caught.javaException === undefined})
                """);
        assertThat(map(run)).containsEntry("isError", true).containsEntry("javaHidden", true);
        assertThat((String) map(run).get("message")).contains("exited with 7");
    }

    @Test
    void startGivesAProcessHandle() throws Exception {
        RunSnapshot run = succeed("start.js", """
                var p = start('echo started; sleep 600')
                while (!p.output.includes('started')) { sleep(5) }
                var alive = p.isAlive()
                var early = p.waitFor(10)
                p.kill()
                var end = p.waitFor()
                ;({alive: alive, early: early, killed: end.killed, pid: p.pid === end.pid, pidType: typeof p.pid,
                  output: p.output, aliveAfter: p.isAlive()})
                """);
        assertThat(map(run)).containsEntry("alive", true).containsEntry("early", null).containsEntry("killed", true)
                .containsEntry("pid", true).containsEntry("pidType", "number").containsEntry("output", "started\n")
                .containsEntry("aliveAfter", false);
    }

    @Test
    void includeEvaluatesAnotherScriptSharingGlobals() throws Exception {
        scripts.write("lib/util.js", """
                function greet(who) { return prefix + 'hello ' + who }
                var loads = (typeof loads === 'number' ? loads : 0) + 1
                'util loaded'
                """);
        RunSnapshot run = succeed("main.js", """
                var prefix = '> '
                var loaded = include('lib/util.js')
                include('lib/util.js')
                ;[loaded, greet('you'), loads]
                """);
        // A script is included once per run: the second include returns the first one's value.
        assertThat(run.result()).isEqualTo(List.of("util loaded", "> hello you", 1L));
    }

    @Test
    void includeHandsOverTheIncludedScriptsOwnValue() throws Exception {
        scripts.write("lib/counter.js", "var made = 0;\n({next: function () { return ++made }})");
        RunSnapshot run = succeed("usecounter.js", """
                var counter = include('lib/counter.js')
                counter.next()
                ;[counter.next(), made]
                """);
        assertThat(run.result()).isEqualTo(List.of(2L, 2L));
    }

    @Test
    void sleepAndNow() throws Exception {
        RunSnapshot run = succeed("time.js", "var t0 = now(); sleep(30); now() - t0");
        assertThat((Long) run.result()).isGreaterThanOrEqualTo(30L);
    }

    @Test
    void globalThisIsTheRunsOwnScope() throws Exception {
        assertThat(succeed("global.js", "globalThis.x = 1; var y = 2; [x, globalThis.y, this === globalThis]").result())
                .isEqualTo(List.of(1L, 2L, true));
    }

    @Test
    void runsShareNoGlobalsAndSeeNoJava() throws Exception {
        succeed("leak.js", "var leaked = 1; leaked");
        RunSnapshot run = succeed("clean.js", """
                ;[typeof leaked, typeof java, typeof Packages, typeof JavaImporter]
                """);
        assertThat(run.result()).isEqualTo(List.of("undefined", "undefined", "undefined", "undefined"));
        // Each run has standard objects of its own: changing them is its own business and reaches no other run.
        succeed("patch.js", "Array.prototype.extra = 1; [].extra");
        assertThat(succeed("unpatched.js", "typeof [].extra").result()).isEqualTo("undefined");
    }

    @Test
    void anUnknownNameIsAClearError() throws Exception {
        RunSnapshot run = scripts.run("unknown.js", "\nnoSuchThing + 1");
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.error().script()).isEqualTo("unknown.js");
        assertThat(run.error().line()).isEqualTo(2);
        assertThat(run.error().message()).isEqualTo("no variable or host member named 'noSuchThing'");
    }

    @Test
    void aNonJsonValueIsRefusedNamingKeyAndType() throws Exception {
        RunSnapshot run = scripts.run("fn.js", "var x = 1\nshared.put('when', function () {})");
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.error().message()).contains("shared key 'when'").contains("a JavaScript function");
        assertThat(run.error().line()).isEqualTo(2);

        RunSnapshot nested = scripts.run("nested.js", "shared.put('later', {first: () => 1})");
        assertThat(nested.error().message()).contains("shared key 'later'").contains("first").contains("JavaScript function");
    }

    @Test
    void aNonJsonResultFailsTheRun() throws Exception {
        RunSnapshot run = scripts.run("result.js", "({when: Symbol('s')})");
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.error().message()).contains("result").contains("when");
    }

    @Test
    void aDateBecomesWhatJsonStringifyGivesForIt() throws Exception {
        assertThat(succeed("date.js", "({when: new Date(Date.UTC(2026, 11, 6, 2, 3, 4, 5))})").result())
                .isEqualTo(Map.of("when", "2026-12-06T02:03:04.005Z"));
    }
}
