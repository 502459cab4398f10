package io.steward.coordination;

import io.steward.coordinator.Coordinator;
import io.steward.coordinator.RunHandle;
import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import io.steward.coordinator.Scripts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code vars}, {@code lock}, {@code semaphore}, {@code event}, {@code queue} and {@code pool} as scripts use them, in
 * both languages, on one coordinator: values, exclusion between runs, waking, release when a run ends, and clear
 * errors for bad input.
 */
@SuppressWarnings("unchecked")
class CoordinationInScriptsTest {
    private final Coordination coordination = Coordination.inMemory();

    @RegisterExtension
    final Scripts scripts = new Scripts();

    private Scripts on() throws Exception {
        return new Scripts(Files.createTempDirectory("steward-coord-"), Coordinator.builder().coordination(coordination));
    }

    @ParameterizedTest
    @ValueSource(strings = {"groovy", "js"})
    void varsAreSharedJsonValuesWithCompareAndSetAndScopes(String lang) throws Exception {
        try (Scripts s = on()) {
            String source = lang.equals("groovy") ? """
                    vars.put('build', [n: 1, ok: true])
                    def swapped = vars.cas('build', [n: 1, ok: true], [n: 2])
                    def refused = vars.cas('build', [n: 1, ok: true], [n: 3])
                    vars.node.put('here', 'yes')
                    vars.put('short', 1, 1)
                    sleep(20)
                    [swapped, refused, vars.get('build'), vars.get('missing', 'dflt'), vars.node.get('here'),
                     vars.get('here'), vars.get('short'), vars.remove('build'), vars.get('build')]
                    """ : """
                    vars.put('build', {n: 1, ok: true});
                    const swapped = vars.cas('build', {n: 1, ok: true}, {n: 2});
                    const refused = vars.cas('build', {n: 1, ok: true}, {n: 3});
                    vars.node.put('here', 'yes');
                    vars.put('short', 1, 1);
                    sleep(20);
                    [swapped, refused, vars.get('build'), vars.get('missing', 'dflt'), vars.node.get('here'),
                     vars.get('here'), vars.get('short'), vars.remove('build'), vars.get('build')]
                    """;
            RunSnapshot end = s.run("v." + lang, source);
            assertThat(end.state()).as(String.valueOf(end.toMap())).isEqualTo(RunState.SUCCEEDED);
            assertThat((List<Object>) end.result()).containsExactly(true, false, Map.of("n", 2L), "dflt", "yes", null, null, true, null);
            String node = coordination.vars().list(null).getFirst().scope();
            assertThat(node).startsWith("node:");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"groovy", "js"})
    void twoRunsNeverHoldTheMutexAtOnceAndTheLockReturnsTheBlocksValue(String lang) throws Exception {
        try (Scripts s = on()) {
            String source = lang.equals("groovy") ? """
                    def clashes = 0
                    def last = null
                    20.times { i ->
                        last = lock('db', 30000) {
                            if (vars.get('inside') != null) clashes++
                            vars.put('inside', runId)
                            sleep(1)
                            vars.remove('inside')
                            i
                        }
                    }
                    [clashes, last]
                    """ : """
                    let clashes = 0, last = null;
                    for (let i = 0; i < 20; i++) {
                        last = lock('db', 30000, () => {
                            if (vars.get('inside') !== null) clashes++;
                            vars.put('inside', runId);
                            sleep(1);
                            vars.remove('inside');
                            return i;
                        });
                    }
                    [clashes, last]
                    """;
            s.write("m." + lang, source);
            RunHandle a = s.start("m." + lang, Map.of());
            RunHandle b = s.start("m." + lang, Map.of());
            for (RunHandle h : List.of(a, b)) {
                RunSnapshot end = h.await(Duration.ofSeconds(60));
                assertThat(end.state()).as(String.valueOf(end.toMap())).isEqualTo(RunState.SUCCEEDED);
                assertThat((List<Object>) end.result()).containsExactly(0L, 19L);
            }
            assertThat(coordination.semaphores().view()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"groovy", "js"})
    void aCancelledHolderReleasesItsLockAndAWaiterTimesOutWithTheHolderNamed(String lang) throws Exception {
        try (Scripts s = on()) {
            s.write("hold." + lang, lang.equals("groovy")
                    ? "lock('deploy') { shared.put('holding', true); sleep(600_000) }"
                    : "lock('deploy', () => { shared.put('holding', true); sleep(600000); });");
            s.write("try." + lang, lang.equals("groovy") ? "lock('deploy', 50) { 'got it' }" : "lock('deploy', 50, () => 'got it')");
            RunHandle holder = s.start("hold." + lang, Map.of());
            await().until(() -> Boolean.TRUE.equals(holder.snapshot().shared().get("holding")));

            RunSnapshot refused = s.run("try." + lang);
            assertThat(refused.state()).isEqualTo(RunState.FAILED);
            assertThat(refused.toMap().toString()).contains("lock 'deploy' not acquired within 50 ms").contains(holder.id());

            s.coordinator().cancel(holder.id(), "test");
            assertThat(holder.await(Duration.ofSeconds(30)).state()).isEqualTo(RunState.CANCELLED);
            RunSnapshot got = s.run("try." + lang);
            assertThat(got.result()).isEqualTo("got it");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"groovy", "js"})
    void eventsWakeWaitersAndQueuesCarryMessagesBetweenRunsInOrder(String lang) throws Exception {
        try (Scripts s = on()) {
            s.write("consumer." + lang, lang.equals("groovy") ? """
                    def ready = event('ready').wait(30000)
                    def got = []
                    5.times { got << queue('work').take(30000) }
                    [ready, got, queue('work').take(0), event('ready').posted]
                    """ : """
                    const ready = event('ready').wait(30000);
                    const got = [];
                    for (let i = 0; i < 5; i++) got.push(queue('work').take(30000));
                    [ready, got, queue('work').take(0), event('ready').posted]
                    """);
            s.write("producer." + lang, lang.equals("groovy") ? """
                    5.times { queue('work').put([job: it]) }
                    event('ready').post()
                    queue('work').size()
                    """ : """
                    for (let i = 0; i < 5; i++) queue('work').put({job: i});
                    event('ready').post();
                    queue('work').size()
                    """);
            RunHandle consumer = s.start("consumer." + lang, Map.of());
            await().until(() -> !((List<?>) coordination.events().view().stream().findFirst()
                    .map(e -> e.get("waiters")).orElse(List.of())).isEmpty());
            RunSnapshot producer = s.run("producer." + lang);
            assertThat(producer.state()).isEqualTo(RunState.SUCCEEDED);
            RunSnapshot end = consumer.await(Duration.ofSeconds(30));
            assertThat(end.state()).as(String.valueOf(end.toMap())).isEqualTo(RunState.SUCCEEDED);
            assertThat((List<Object>) end.result()).containsExactly(true,
                    List.of(Map.of("job", 0L), Map.of("job", 1L), Map.of("job", 2L), Map.of("job", 3L), Map.of("job", 4L)),
                    null, true);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"groovy", "js"})
    void aPoolEntryIsHeldByOneRunAtATime(String lang) throws Exception {
        try (Scripts s = on()) {
            coordination.pools().add("phones", "pixel", Map.of("serial", "X1"));
            coordination.pools().add("phones", "iphone", null);
            s.write("use." + lang, lang.equals("groovy") ? """
                    pool('phones').acquire(30000, 1) { phone ->
                        if (vars.get(phone) != null) throw new IllegalStateException(phone + ' held twice')
                        vars.put(phone, runId); sleep(5); vars.remove(phone)
                        [phone, pool('phones').valueOf(phone)]
                    }
                    """ : """
                    pool('phones').acquire(30000, 1, phone => {
                        if (vars.get(phone) !== null) throw new Error(phone + ' held twice');
                        vars.put(phone, runId); sleep(5); vars.remove(phone);
                        return [phone, pool('phones').valueOf(phone)];
                    })
                    """);
            List<RunHandle> runs = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                runs.add(s.start("use." + lang, Map.of()));
            }
            for (RunHandle h : runs) {
                RunSnapshot end = h.await(Duration.ofSeconds(60));
                assertThat(end.state()).as(String.valueOf(end.toMap())).isEqualTo(RunState.SUCCEEDED);
                assertThat(((List<?>) end.result()).getFirst()).isIn("pixel", "iphone");
            }
            assertThat((List<?>) coordination.pools().view("phones").get("waiters")).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"groovy", "js"})
    void badInputFailsTheRunWithTheRule(String lang) throws Exception {
        try (Scripts s = on()) {
            Map<String, String> cases = lang.equals("groovy") ? Map.of(
                    "lock('../etc', 10) { 1 }", "lock name '../etc' is not allowed",
                    "lock('db', -5) { 1 }", "timeout must be 0 or more milliseconds, not -5",
                    "pool('nosuch').acquire(10) { 1 }", "there is no pool 'nosuch'",
                    "semaphore('s', 0)", "permits must be 1 or more",
                    "vars.put('a/b', 1)", "variable name 'a/b' is not allowed",
                    "lock('x') { lock('x') { 1 } }", "already held by this thread") : Map.of(
                    "lock('../etc', 10, () => 1)", "lock name '../etc' is not allowed",
                    "lock('db', -5, () => 1)", "timeout must be 0 or more milliseconds, not -5",
                    "pool('nosuch').acquire(10, () => 1)", "there is no pool 'nosuch'",
                    "semaphore('s', 0)", "permits must be 1 or more",
                    "vars.put('a/b', 1)", "variable name 'a/b' is not allowed",
                    "lock('x', () => lock('x', () => 1))", "already held by this thread");
            int i = 0;
            for (Map.Entry<String, String> c : cases.entrySet()) {
                RunSnapshot end = s.run("bad" + (i++) + "." + lang, c.getKey());
                assertThat(end.state()).as(c.getKey()).isEqualTo(RunState.FAILED);
                assertThat(String.valueOf(end.toMap().get("error"))).as(c.getKey()).contains(c.getValue());
            }
            assertThat(coordination.vars().list(null)).isEmpty();
            assertThat(coordination.semaphores().view()).isEmpty();
        }
    }

    @Test
    void aRunWithoutACoordinationOfItsOwnGetsAFreshOne() throws Exception {
        RunSnapshot end = scripts.run("alone.groovy", "vars.put('x', 1); vars.get('x')");
        assertThat(end.result()).isEqualTo(1L);
    }
}
