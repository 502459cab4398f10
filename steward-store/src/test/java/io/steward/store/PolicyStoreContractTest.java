package io.steward.store;

import io.steward.coordinator.RunState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The policy and notification tables on every backend: script policies round-trip, a retry chain's steps are
 * guarded so each attempt starts once, bad values are refused before anything is written.
 */
abstract class PolicyStoreContractTest {
    Store store;
    private StoreConfig.Builder configured;

    abstract StoreConfig.Builder database();

    @BeforeEach
    void openStore() {
        configured = database().languages(StoreContractTest.LANGUAGES).pruneEvery(null);
        store = Store.open(configured.build());
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void aScriptPolicyRoundTripsIsReplacedAndCleared() {
        RetryPolicy retry = new RetryPolicy(3, Duration.ofSeconds(2), 2, Duration.ofMinutes(1));
        store.policies().putScriptPolicy(new ScriptPolicy("a.groovy", 2, WhenBusy.REJECT, retry, null, "admin"));
        ScriptPolicy read = store.policies().scriptPolicy("a.groovy").orElseThrow();
        assertThat(read.maxConcurrent()).isEqualTo(2);
        assertThat(read.whenBusy()).isEqualTo(WhenBusy.REJECT);
        assertThat(read.retry()).isEqualTo(retry);
        assertThat(read.updatedBy()).isEqualTo("admin");

        store.policies().putScriptPolicy(new ScriptPolicy("a.groovy", null, WhenBusy.QUEUE, null, null, "ops"));
        read = store.policies().scriptPolicy("a.groovy").orElseThrow();
        assertThat(read.maxConcurrent()).isNull();
        assertThat(read.retry()).isNull();
        assertThat(store.policies().scriptPolicies()).hasSize(1);

        assertThat(store.policies().clearScriptPolicy("a.groovy")).isTrue();
        assertThat(store.policies().clearScriptPolicy("a.groovy")).isFalse();
        assertThat(store.policies().scriptPolicy("a.groovy")).isEmpty();
    }

    @Test
    void badPolicyValuesAreRefusedWithTheirNames() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, 1, null)).hasMessageContaining("attempts must be from 1");
        assertThatThrownBy(() -> new RetryPolicy(-2, Duration.ZERO, 1, null)).hasMessageContaining("attempts");
        assertThatThrownBy(() -> new RetryPolicy(2, Duration.ofSeconds(-1), 1, null)).hasMessageContaining("backoff must be 0 or more");
        assertThatThrownBy(() -> new RetryPolicy(2, Duration.ofSeconds(1), 0.5, null)).hasMessageContaining("factor");
        assertThatThrownBy(() -> new ScriptPolicy("a.groovy", 0, WhenBusy.QUEUE, null, null, "x"))
                .hasMessageContaining("maxConcurrent must be from 1");
        assertThatThrownBy(() -> WhenBusy.parse("wait")).hasMessageContaining("queue or reject");
        assertThat(store.policies().scriptPolicies()).isEmpty();
    }

    @Test
    void theBackoffGrowsByItsFactorUpToItsMaximum() {
        long seed = System.nanoTime();
        System.out.println("theBackoffGrowsByItsFactorUpToItsMaximum seed " + seed);
        Random random = new Random(seed);
        for (int i = 0; i < 2_000; i++) {
            long backoff = random.nextInt(10_000);
            double factor = 1 + random.nextDouble() * 4;
            Duration max = random.nextBoolean() ? null : Duration.ofMillis(backoff + random.nextInt(100_000));
            RetryPolicy p = new RetryPolicy(1 + random.nextInt(100), Duration.ofMillis(backoff), factor, max);
            long previous = -1;
            for (int attempt = 2; attempt <= p.attempts(); attempt++) {
                long delay = p.delayBefore(attempt).toMillis();
                assertThat(delay).as("seed %d attempt %d", seed, attempt).isGreaterThanOrEqualTo(previous);
                if (max != null) {
                    assertThat(delay).as("seed %d", seed).isLessThanOrEqualTo(max.toMillis());
                }
                if (attempt == 2) {
                    assertThat(delay).as("seed %d", seed).isEqualTo(max == null ? backoff : Math.min(backoff, max.toMillis()));
                }
                previous = delay;
            }
        }
    }

    @Test
    void eachStepOfARetryChainHappensOnceAndAttemptsAreLinked() {
        RetryPolicy policy = new RetryPolicy(3, Duration.ofSeconds(1), 1, null);
        store.policies().startChain(RetryChain.first("R1", "s.groovy", 2, Map.of("n", 1L), 5000L, "ci", policy));
        assertThat(store.policies().openChains()).singleElement().satisfies(c -> {
            assertThat(c.state()).isEqualTo(RetryChain.State.RUNNING);
            assertThat(c.args()).isEqualTo(Map.of("n", 1L));
            assertThat(c.timeoutMs()).isEqualTo(5000L);
            assertThat(c.version()).isEqualTo(2);
        });
        Instant due = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.MICROS);
        assertThat(store.policies().scheduleNext("R1", 1, due)).isTrue();
        assertThat(store.policies().scheduleNext("R1", 1, due)).isFalse();
        assertThat(store.policies().chain("R1").orElseThrow().dueAt()).isEqualTo(due);

        assertThat(store.policies().startAttempt("R1", 1, "R2")).isTrue();
        // A second caller (a restart racing a timer) loses and changes nothing.
        assertThat(store.policies().startAttempt("R1", 1, "R2b")).isFalse();
        assertThat(store.policies().attemptOf("R2b")).isEmpty();
        assertThat(store.policies().attemptOf("R2")).hasValue(new RetryAttempt("R2", "R1", 2, 3));
        assertThat(store.policies().attempts("R1")).extracting(RetryAttempt::runId).containsExactly("R1", "R2");

        assertThat(store.policies().finishChain("R1", 1)).isFalse();
        assertThat(store.policies().finishChain("R1", 2)).isTrue();
        assertThat(store.policies().openChains()).isEmpty();
        assertThat(store.policies().chain("R1").orElseThrow().state()).isEqualTo(RetryChain.State.DONE);
    }

    @Test
    void notificationsAreStoredListedAndRemovedWithTheirDeliveries() {
        store.notifications().create(new Notification("ops", Set.of(RunState.FAILED, RunState.TIMED_OUT), "a.groovy",
                "http://127.0.0.1:9/hook", null, null, "admin"));
        store.notifications().create(new Notification("page", Set.of(RunState.LOST), null, null, "page.groovy", null, "admin"));
        assertThatThrownBy(() -> store.notifications().create(new Notification("ops", Set.of(RunState.FAILED), null,
                null, "x.groovy", null, "admin"))).isInstanceOf(StoreConflictException.class).hasMessageContaining("already exists");
        assertThat(store.notifications().list()).extracting(Notification::name).containsExactly("ops", "page");
        Notification ops = store.notifications().get("ops").orElseThrow();
        assertThat(ops.states()).containsExactlyInAnyOrder(RunState.FAILED, RunState.TIMED_OUT);
        assertThat(ops.matches("a.groovy", RunState.FAILED)).isTrue();
        assertThat(ops.matches("b.groovy", RunState.FAILED)).isFalse();
        assertThat(ops.matches("a.groovy", RunState.SUCCEEDED)).isFalse();

        store.notifications().recordDelivery("ops", "R1", 1, Delivery.Outcome.FAILED, "HTTP 500");
        store.notifications().recordDelivery("ops", "R1", 2, Delivery.Outcome.DELIVERED, "HTTP 200");
        assertThat(store.notifications().deliveries("ops", 10)).extracting(Delivery::outcome)
                .containsExactly(Delivery.Outcome.FAILED, Delivery.Outcome.DELIVERED);
        assertThat(store.notifications().deliveries("ops", 1)).extracting(Delivery::attempt).containsExactly(2);

        assertThat(store.notifications().delete("ops")).isTrue();
        assertThat(store.notifications().delete("ops")).isFalse();
        assertThat(store.notifications().deliveries("ops", 10)).isEmpty();
        assertThat(store.notifications().list()).extracting(Notification::name).containsExactly("page");
    }

    @Test
    void badNotificationsAreRefusedBeforeAnythingIsStored() {
        assertThatThrownBy(() -> new Notification("n", Set.of(RunState.FAILED), null, "ftp://x/y", null, null, "a"))
                .hasMessageContaining("must be an http:// or https:// URL");
        assertThatThrownBy(() -> new Notification("n", Set.of(RunState.FAILED), null, "file:///etc/passwd", null, null, "a"))
                .hasMessageContaining("http://");
        assertThatThrownBy(() -> Notification.parseStates("FAILED,EXPLODED")).hasMessageContaining("unknown state 'EXPLODED'");
        assertThatThrownBy(() -> new Notification("n", Set.of(RunState.RUNNING), null, null, "x.groovy", null, "a"))
                .hasMessageContaining("not a final state");
        assertThatThrownBy(() -> new Notification("../n", Set.of(RunState.FAILED), null, null, "x.groovy", null, "a"))
                .hasMessageContaining("not valid");
        assertThatThrownBy(() -> new Notification("n", Set.of(RunState.FAILED), null, "http://h/x", "x.groovy", null, "a"))
                .hasMessageContaining("exactly one");
        assertThat(Notification.parseStates(" failed , timed_out")).containsExactlyInAnyOrder(RunState.FAILED, RunState.TIMED_OUT);
        assertThat(store.notifications().list()).isEmpty();
    }
}
