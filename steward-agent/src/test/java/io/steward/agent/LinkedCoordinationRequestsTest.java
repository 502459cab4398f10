package io.steward.agent;

import io.steward.coordination.Coordination;
import io.steward.coordination.CoordinationTimeoutException;
import io.steward.coordination.Owner;
import io.steward.coordination.Semaphores;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The agent's side of coordination, frame by frame: answers reach their callers, unanswered requests go again in
 * their first order when the link is welcomed back, releases are not waited for, and a grant that comes after its
 * caller gave up is given back at once (so a cut link cannot leave a lock held by nobody).
 */
class LinkedCoordinationRequestsTest {
    private final List<Map<String, Object>> sent = new CopyOnWriteArrayList<>();
    private final LinkedCoordination link = new LinkedCoordination(sent::add, Duration.ofMillis(200));
    private final Coordination run = link.forRun("r1");
    private final Owner owner = new Owner("r1", "lab-1", "run-r1/1");

    private static Map<String, Object> grant(Object requestId, String token) {
        return Map.of("type", "coord-answer", "requestId", requestId, "ok", true, "value", Map.of("hold", token, "since", 5));
    }

    @Test
    void anAnswerReachesItsCallerAndAReleaseIsSentWithoutWaiting() throws Exception {
        CompletableFuture<Semaphores.Hold> acquired = CompletableFuture.supplyAsync(() -> {
            try {
                return run.acquire("db", 1, owner, 5_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().until(() -> sent.size() == 1);
        Map<String, Object> request = sent.getFirst();
        assertThat(request).containsEntry("type", "coord").containsEntry("op", "acquire").containsEntry("run", "r1")
                .containsEntry("name", "db").containsEntry("thread", "run-r1/1");
        link.answer(grant(request.get("requestId"), "s7"));
        Semaphores.Hold hold = acquired.get();
        assertThat(hold.name()).isEqualTo("s7");

        run.release(hold);
        assertThat(sent.getLast()).containsEntry("op", "release").containsEntry("hold", "s7");
        assertThat(link.pending()).isEqualTo(1); // until the primary answers it
        link.answer(Map.of("type", "coord-answer", "requestId", sent.getLast().get("requestId"), "ok", true, "value", true));
        assertThat(link.pending()).isZero();
    }

    @Test
    void unansweredRequestsGoAgainInTheirOrderWhenTheLinkIsBack() {
        run.release(new Semaphores.Hold("s1", 0, owner, 0));
        run.release(new Semaphores.Hold("s2", 0, owner, 0));
        sent.clear();
        link.rejoined();
        assertThat(sent).extracting(f -> f.get("hold")).containsExactly("s1", "s2");
    }

    @Test
    void aGrantThatComesAfterItsCallerGaveUpIsGivenBack() {
        assertThatThrownBy(() -> run.acquire("db", 1, owner, 0)).isInstanceOf(CoordinationTimeoutException.class)
                .hasMessageContaining("no answer from the primary");
        Object requestId = sent.getFirst().get("requestId");
        assertThat(link.pending()).isZero();
        link.answer(grant(requestId, "s9"));
        assertThat(sent.getLast()).containsEntry("op", "release").containsEntry("hold", "s9").containsEntry("run", "r1");
        assertThat(link.pending()).isEqualTo(1);
    }

    @Test
    void theAnswerOfARefusalIsTheRuleInWords() {
        CompletableFuture<Object> put = CompletableFuture.supplyAsync(() -> run.putVar("global", "x", 1, 0));
        await().until(() -> !sent.isEmpty());
        link.answer(Map.of("type", "coord-answer", "requestId", sent.getFirst().get("requestId"), "ok", false,
                "status", 400, "message", "variable name 'x/y' is not allowed"));
        assertThatThrownBy(put::join).hasCauseInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("variable name 'x/y' is not allowed");
    }
}
