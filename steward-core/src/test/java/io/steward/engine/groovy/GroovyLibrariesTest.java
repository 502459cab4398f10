package io.steward.engine.groovy;

import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import io.steward.coordinator.Scripts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * {@code include('lib/….groovy')} as a library: its functions, top-level variables and classes are reachable from
 * the including script and from every script thread of the run; it is evaluated once per run; cycles are errors.
 */
class GroovyLibrariesTest {
    private static final Duration NO_HANG = Duration.ofSeconds(30);

    @RegisterExtension
    final Scripts scripts = new Scripts();

    @BeforeEach
    void setUp() {
        scripts.write("lib/steps.groovy", """
                def prefix = 'step: '
                def greet(name) { prefix + name }
                class Step {
                    String name
                    int weight = 1
                    Step() {}
                    Step(String name) { this.name = name }
                    Step(String name, int weight) { this.name = name; this.weight = weight }
                    static Step of(String name) { new Step(name, 5) }
                    String describe() { "$name/$weight" }
                }
                status.set('stepsLoaded', (status.get('stepsLoaded') ?: 0) + 1)
                'steps ready'
                """);
    }

    private RunSnapshot succeed(String name, String source) throws InterruptedException {
        RunSnapshot run = scripts.run(name, source);
        assertThat(run.state()).as("%s ended with %s", name, run.error()).isEqualTo(RunState.SUCCEEDED);
        return run;
    }

    private RunSnapshot fail(String name, String source) throws InterruptedException {
        RunSnapshot run = assertTimeoutPreemptively(NO_HANG, () -> scripts.run(name, source));
        assertThat(run.state()).as("%s ended with %s", name, run.error()).isEqualTo(RunState.FAILED);
        return run;
    }

    @Test
    void functionsVariablesAndClassesOfALibraryWorkOnEveryScriptThread() throws Exception {
        RunSnapshot run = succeed("main.groovy", """
                def loaded = include('lib/steps.groovy')
                def fromThreads = parallel(['a', 'b', 'c']) { greet(it) + '|' + prefix + '|' + new Step(it).describe() }
                def spawned = spawn { [greet('d'), Step.of('e').describe(), Step.newInstance('f', 3).describe()] }
                [loaded: loaded,
                 main: [greet('x'), prefix, new Step('y', 2).describe(), new Step(name: 'z').describe(), Step.simpleName],
                 threads: fromThreads,
                 spawned: spawned.join()]
                """);
        assertThat(run.result()).isEqualTo(Map.of(
                "loaded", "steps ready",
                "main", List.of("step: x", "step: ", "y/2", "z/1", "Step"),
                "threads", List.of("step: a|step: |a/1", "step: b|step: |b/1", "step: c|step: |c/1"),
                "spawned", List.of("step: d", "e/5", "f/3")));
    }

    @Test
    void aLibrarysOwnFunctionsAndClosuresSeeItsTopLevelVariables() throws Exception {
        scripts.write("lib/counter.groovy", """
                def count = 0
                def status = 'the library shadows the host member'
                def bump() { count++ }
                def bumpLater = { -> count += 10 }
                def shadowed() { status }
                """);
        RunSnapshot run = succeed("count.groovy", """
                include('lib/counter.groovy')
                bump(); bump()
                bumpLater()
                spawn { bump() }.join()
                [count, shadowed(), status.getClass().simpleName != 'String']
                """);
        assertThat(run.result()).isEqualTo(List.of(13L, "the library shadows the host member", true));
    }

    @Test
    void assigningALibraryVariableFromTheIncluderSetsIt() throws Exception {
        RunSnapshot run = succeed("assign.groovy", """
                include('lib/steps.groovy')
                prefix = 'changed: '
                greet('x')
                """);
        assertThat(run.result()).isEqualTo("changed: x");
    }

    @Test
    void topLevelVariablesKeepTheirOrderAndScriptsOwnClosuresSeeThem() throws Exception {
        RunSnapshot run = succeed("order.groovy", """
                def log = []
                def first = { log << 'first'; 1 }()
                def node = 'my node'
                def second = { log << 'second'; first + 1 }()
                def (a, b) = [3, 4]
                def onThread = spawn { "$node $first $second" }.join()
                def readNode() { node }
                [log, onThread, readNode(), a + b]
                """);
        assertThat(run.result()).isEqualTo(List.of(List.of("first", "second"), "my node 1 2", "my node", 7L));
    }

    @Test
    void typedFinalAndUninitialisedTopLevelVariablesBehaveAsBefore() throws Exception {
        scripts.write("lib/kinds.groovy", """
                int count
                count += 2
                final String name = 'kinds'
                List<String> items = ['a']
                def nothing
                """);
        RunSnapshot run = succeed("kinds.groovy", """
                def value = include('lib/kinds.groovy')
                count = '7' as int
                [value, count, name, items, nothing]
                """);
        assertThat(run.result()).isEqualTo(java.util.Arrays.asList(null, 7L, "kinds", List.of("a"), null));
        assertThat(succeed("last.groovy", "def x = 40 + 2").result()).isEqualTo(42L);
    }

    @Test
    void closuresWithADelegateStillSeeTopLevelVariablesFirst() throws Exception {
        RunSnapshot run = succeed("delegate.groovy", """
                def host = 'web-1'
                def size = 3
                [other: 1].with { "$host/$size" }
                """);
        assertThat(run.result()).isEqualTo("web-1/3");
    }

    @Test
    void includingTwiceEvaluatesOnceAndReturnsTheSameValue() throws Exception {
        RunSnapshot run = succeed("twice.groovy", """
                def first = include('lib/steps.groovy')
                def second = include('lib/steps.groovy')
                def fromThread = spawn { include('lib/steps.groovy') }.join()
                [first, second, fromThread]
                """);
        assertThat(run.result()).isEqualTo(List.of("steps ready", "steps ready", "steps ready"));
        assertThat(run.statusValues()).containsEntry("stepsLoaded", 1L);
    }

    @Test
    void concurrentIncludesFromEightThreadsEvaluateOnce() throws Exception {
        scripts.write("lib/slow.groovy", """
                status.set('slowLoads', (status.get('slowLoads') ?: 0) + 1)
                // Hold the evaluation open until all eight threads are about to include this.
                while (asked.get() != 8) { Thread.onSpinWait(); Thread.yield() }
                def answer() { 42 }
                'slow ready'
                """);
        RunSnapshot run = assertTimeoutPreemptively(NO_HANG, () -> succeed("eight.groovy", """
                asked = new java.util.concurrent.atomic.AtomicInteger()
                parallel(1..8) {
                    asked.incrementAndGet()
                    [include('lib/slow.groovy'), answer()]
                }
                """));
        assertThat(run.result()).isEqualTo(Collections.nCopies(8, List.of("slow ready", 42L)));
        assertThat(run.statusValues()).containsEntry("slowLoads", 1L);
    }

    @Test
    void aFailedIncludeIsNotRemembered() throws Exception {
        scripts.write("lib/flaky.groovy", """
                status.set('flakyLoads', (status.get('flakyLoads') ?: 0) + 1)
                if (status.get('flakyLoads') == 1) { throw new IllegalStateException('first load fails') }
                def ok() { 'ok' }
                'flaky ready'
                """);
        RunSnapshot run = succeed("retry.groovy", """
                def failure
                try { include('lib/flaky.groovy') } catch (e) { failure = e.message }
                [failure, include('lib/flaky.groovy'), ok()]
                """);
        @SuppressWarnings("unchecked")
        List<Object> result = (List<Object>) run.result();
        assertThat((String) result.getFirst()).contains("first load fails");
        assertThat(result.subList(1, 3)).containsExactly("flaky ready", "ok");
        assertThat(run.statusValues()).containsEntry("flakyLoads", 2L);
    }

    @Test
    void aLibraryMayIncludeAnotherAndUseItsFunctions() throws Exception {
        scripts.write("lib/base.groovy", "def shout(s) { s.toUpperCase() + '!' }\ndef base = 'base'");
        scripts.write("lib/top.groovy", """
                include('lib/base.groovy')
                def top = shout(base)
                def announce(s) { shout(greeting + s) }
                def greeting = 'hi '
                """);
        RunSnapshot run = succeed("nested.groovy", """
                include('lib/top.groovy')
                [announce('you'), top, shout('direct'), parallel([1]) { announce('thread') }[0]]
                """);
        assertThat(run.result()).isEqualTo(List.of("HI YOU!", "BASE!", "DIRECT!", "HI THREAD!"));
    }

    @Test
    void anIncludeCycleIsAnErrorNamingTheChain() throws Exception {
        scripts.write("lib/a.groovy", "include('lib/b.groovy')\ndef a() { 'a' }");
        scripts.write("lib/b.groovy", "include('lib/a.groovy')\ndef b() { 'b' }");
        RunSnapshot run = fail("main.groovy", "include('lib/a.groovy')");
        assertThat(run.error().message())
                .contains("include cycle: main.groovy → lib/a.groovy → lib/b.groovy → lib/a.groovy");
    }

    @Test
    void includingTheRunsOwnScriptIsACycle() throws Exception {
        RunSnapshot run = fail("self.groovy", "spawn { include('self.groovy') }.join()");
        assertThat(run.error().message()).contains("include cycle: self.groovy → self.groovy");
    }

    @Test
    void aCycleAcrossTwoScriptThreadsIsAnErrorNotADeadlock() throws Exception {
        // Thread 1 evaluates a, thread 2 evaluates b; each then includes the other's library.
        scripts.write("lib/a.groovy", """
                priv.put('aStarted', true)
                while (!priv.get('bStarted')) { Thread.onSpinWait(); Thread.yield() }
                include('lib/b.groovy')
                """);
        scripts.write("lib/b.groovy", """
                priv.put('bStarted', true)
                while (!priv.get('aStarted')) { Thread.onSpinWait(); Thread.yield() }
                include('lib/a.groovy')
                """);
        RunSnapshot run = fail("both.groovy", """
                def one = spawn { include('lib/a.groovy') }
                def two = spawn { include('lib/b.groovy') }
                one.join(); two.join()
                """);
        assertThat(run.error().message()).containsAnyOf(
                "include cycle: both.groovy → lib/a.groovy → lib/b.groovy → lib/a.groovy (across script threads)",
                "include cycle: both.groovy → lib/b.groovy → lib/a.groovy → lib/b.groovy (across script threads)");
    }

    @Test
    void aFunctionNoLibraryDefinesIsStillAMissingMethod() throws Exception {
        RunSnapshot run = fail("missing.groovy", "include('lib/steps.groovy')\n\nnoSuchStep('x')");
        assertThat(run.error().line()).isEqualTo(3);
        assertThat(run.error().message()).isEqualTo(
                "MissingMethodException: no function noSuchStep(String) in the script, its libraries or the host object");
        RunSnapshot inThread = fail("missing2.groovy", "include('lib/steps.groovy')\nspawn { greet('a', 'b') }.join()");
        assertThat(inThread.error().message()).contains("MissingMethodException").contains("greet(String, String)");
    }

    @Test
    void aClassNoLibraryDefinesIsNamedAtRunTime() throws Exception {
        RunSnapshot run = fail("noclass.groovy", "include('lib/steps.groovy')\nnew Stepp('x')");
        assertThat(run.error().line()).isEqualTo(2);
        assertThat(run.error().message()).contains("Stepp");
    }
}
