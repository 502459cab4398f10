package io.steward.cluster;

import io.steward.gateway.TestPrimary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two primaries in one JVM on one PostgreSQL schema share their coordination: a lock a run holds on one keeps a run
 * on the other waiting until it is released; a message put through one's API is taken by a script on the other; a
 * variable set through one is read through the other; takers on both never take a message twice; and the lock of a
 * run whose primary stopped without a word is freed by the LOST reaper of the other.
 */
class CoordinationAcrossPrimariesTest {
    private static final Duration TTL = Duration.ofSeconds(3);
    private static final Duration LONG = Duration.ofSeconds(60);

    @RegisterExtension
    static final PrimariesOnOneDatabase primaries = new PrimariesOnOneDatabase(TTL);

    private TestPrimary primary(String name) throws Exception {
        return primaries.primary(name);
    }

    private static String start(TestPrimary p, String script) {
        return (String) p.admin.post("/api/v1/runs", Map.of("script", script)).json().get("id");
    }

    private static Map<String, Object> run(TestPrimary p, String id) {
        return p.admin.get("/api/v1/runs/" + id).json();
    }

    private static Map<String, Object> ended(TestPrimary p, String id) {
        await().atMost(LONG).until(() -> run(p, id).get("endedAt") != null);
        return run(p, id);
    }

    @Test
    void aLockHeldByARunOnOnePrimaryKeepsARunOnTheOtherWaitingUntilReleased() throws Exception {
        TestPrimary a = primary("a");
        TestPrimary b = primary("b");
        a.push("hold.groovy", "lock('x') { vars.put('a-holds', true); event('let-go').wait(60000); 'released' }");
        b.push("wait.groovy", "lock('x', 60000) { vars.get('a-holds') == true && !event('let-go').posted ? 'early' : 'after' }");
        String holder = start(a, "hold.groovy");
        await().atMost(LONG).until(() -> b.admin.get("/api/v1/vars/global/a-holds").status() == 200);
        String waiter = start(b, "wait.groovy");
        await().atMost(LONG).until(() -> lockView(b, "x").map(l -> ((List<?>) l.get("waiters")).size() == 1).orElse(false));
        Map<String, Object> lock = lockView(a, "x").orElseThrow();
        assertThat(lock.get("holders").toString()).as("seen from a").contains(holder);
        assertThat(run(b, waiter)).containsEntry("state", "RUNNING");

        assertThat(b.admin.post("/api/v1/events/let-go", Map.of("action", "post")).status()).isEqualTo(200);
        assertThat(ended(a, holder)).containsEntry("state", "SUCCEEDED").containsEntry("result", "released");
        assertThat(ended(b, waiter)).containsEntry("state", "SUCCEEDED").containsEntry("result", "after");
    }

    @Test
    void queuesAndVariablesAreTheSameThroughEitherPrimary() throws Exception {
        TestPrimary a = primary("a");
        TestPrimary b = primary("b");
        b.push("take.groovy", "queue('jobs').take(60000)");
        String taker = start(b, "take.groovy");
        await().atMost(LONG).until(() -> "RUNNING".equals(run(b, taker).get("state")));
        assertThat(a.admin.post("/api/v1/queues/jobs/messages", Map.of("message", Map.of("build", 42))).status())
                .isEqualTo(201);
        assertThat(ended(b, taker)).containsEntry("state", "SUCCEEDED").containsEntry("result", Map.of("build", 42));

        assertThat(b.admin.put("/api/v1/vars/global/release", Map.of("value", "1.5")).status()).isEqualTo(200);
        assertThat(a.admin.get("/api/v1/vars/global/release").json()).containsEntry("value", "1.5")
                .containsEntry("version", 1);
        Map<String, Object> stale = a.admin.put("/api/v1/vars/global/release", Map.of("value", "1.6", "ifVersion", 0)).json();
        assertThat(stale.toString()).contains("is at version 1");
    }

    @Test
    void takersOnBothPrimariesTakeEveryMessageOnce() throws Exception {
        TestPrimary a = primary("a");
        TestPrimary b = primary("b");
        int messages = 120;
        // All put through a: b's takers get any only if the queue is shared. Each taker dawdles a little after a
        // take, so that takers on both primaries keep coming back while messages remain.
        for (int i = 0; i < messages; i++) {
            assertThat(a.admin.post("/api/v1/queues/work/messages", Map.of("message", i)).status()).isEqualTo(201);
        }
        a.push("taker.groovy", "def got = []; def m; while ((m = queue('work').take(3000)) != null) { got << m; sleep(10) }; got");
        List<String> onA = new ArrayList<>();
        List<String> onB = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            onA.add(start(a, "taker.groovy"));
            onB.add(start(b, "taker.groovy"));
        }
        List<Object> takenOnA = new ArrayList<>();
        List<Object> takenOnB = new ArrayList<>();
        for (String id : onA) {
            takenOnA.addAll((List<?>) ended(a, id).get("result"));
        }
        for (String id : onB) {
            takenOnB.addAll((List<?>) ended(b, id).get("result"));
        }
        assertThat(takenOnB).as("b's takers took from the queue a was given").isNotEmpty();
        assertThat(takenOnA).isNotEmpty();
        List<Object> taken = new ArrayList<>(takenOnA);
        taken.addAll(takenOnB);
        assertThat(taken).hasSize(messages);
        assertThat(new HashSet<>(taken)).hasSize(messages);
    }

    @Test
    void theLockOfARunWhosePrimaryStoppedIsFreedByTheLostReaper() throws Exception {
        TestPrimary a = primary("a");
        TestPrimary b = primary("b");
        a.push("hold.groovy", "lock('y') { vars.put('a-holds-y', true); sleep(600_000) }");
        b.push("wait.groovy", "lock('y', 120000) { 'got y' }");
        String holder = start(a, "hold.groovy");
        await().atMost(LONG).until(() -> b.admin.get("/api/v1/vars/global/a-holds-y").status() == 200);
        String waiter = start(b, "wait.groovy");
        await().atMost(LONG).until(() -> lockView(b, "y").map(l -> ((List<?>) l.get("waiters")).size() == 1).orElse(false));

        // a goes silent as a killed process would: no beat, no release; its run's thread still sleeps in this JVM.
        a.server.cluster().halt();
        await().atMost(TTL.multipliedBy(4)).until(() -> b.server.cluster().leases().holds(Leases.LOST));
        assertThat(ended(b, waiter)).containsEntry("state", "SUCCEEDED").containsEntry("result", "got y");
        assertThat(run(b, holder)).containsEntry("state", "LOST");
    }

    @SuppressWarnings("unchecked")
    private static java.util.Optional<Map<String, Object>> lockView(TestPrimary p, String name) {
        List<Map<String, Object>> locks = (List<Map<String, Object>>) p.admin.get("/api/v1/locks").json().get("locks");
        return locks.stream().filter(l -> name.equals(l.get("name"))).findFirst();
    }
}
