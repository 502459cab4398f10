package io.steward.engine;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The language-neutral include rules, without a script engine: once per run, shared failures, cycles. */
class IncludesTest {

    @Test
    void aWaiterSharesTheFailureAndTheNextIncludeEvaluatesAgain() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Includes includes = new Includes("main.groovy");
            AtomicInteger evaluations = new AtomicInteger();
            CountDownLatch release = new CountDownLatch(1);
            IllegalStateException broken = new IllegalStateException("broken");
            Thread first = Thread.ofVirtual().start(() -> {
                try {
                    includes.include("lib/x.groovy", () -> {
                        evaluations.incrementAndGet();
                        release.await();
                        throw broken;
                    });
                } catch (Throwable expected) {
                    // the failure is what the waiter must see too
                }
            });
            await().until(() -> evaluations.get() == 1);
            AtomicReference<Throwable> seen = new AtomicReference<>();
            Thread waiter = Thread.ofVirtual().start(() -> {
                try {
                    includes.include("lib/x.groovy", () -> evaluations.incrementAndGet());
                } catch (Throwable t) {
                    seen.set(t);
                }
            });
            await().until(() -> waiter.getState() == Thread.State.WAITING);
            release.countDown();
            first.join();
            waiter.join();
            assertThat(seen.get()).isSameAs(broken);
            assertThat(evaluations.get()).isEqualTo(1);

            assertThat(includes.include("lib/x.groovy", () -> "fixed")).isEqualTo("fixed");
            assertThat(includes.include("lib/x.groovy", () -> "again")).isEqualTo("fixed");
        });
    }

    @Test
    void aCycleOnOneThreadNamesTheChainAndLeavesNothingBehind() throws Exception {
        Includes includes = new Includes("main.js");
        assertThatThrownBy(() -> includes.include("lib/a.js", () -> includes.include("lib/b.js",
                () -> includes.include("lib/a.js", () -> "never"))))
                .isInstanceOf(IncludeCycleException.class)
                .hasMessage("include cycle: main.js → lib/a.js → lib/b.js → lib/a.js");
        // Neither a nor b was remembered: both failed.
        assertThat(includes.include("lib/b.js", () -> "b")).isEqualTo("b");
        assertThat(includes.include("lib/a.js", () -> "a")).isEqualTo("a");
    }

    @Test
    void twoThreadsClosingACycleFailInsteadOfDeadlocking() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Includes includes = new Includes("main.groovy");
            CountDownLatch bothStarted = new CountDownLatch(2);
            CompletableFuture<Object> one = new CompletableFuture<>();
            CompletableFuture<Object> two = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> complete(one, () -> includes.include("lib/a.groovy", () -> {
                bothStarted.countDown();
                bothStarted.await();
                return includes.include("lib/b.groovy", () -> "b by one");
            })));
            Thread.ofVirtual().start(() -> complete(two, () -> includes.include("lib/b.groovy", () -> {
                bothStarted.countDown();
                bothStarted.await();
                return includes.include("lib/a.groovy", () -> "a by two");
            })));
            Throwable failOne = one.handle((v, t) -> t).get();
            Throwable failTwo = two.handle((v, t) -> t).get();
            // Whichever thread came second saw the cycle; the other waited for it and shares its failure.
            assertThat(failOne).isSameAs(failTwo).isInstanceOf(IncludeCycleException.class);
            assertThat(failOne.getMessage()).isIn(
                    "include cycle: main.groovy → lib/a.groovy → lib/b.groovy → lib/a.groovy (across script threads)",
                    "include cycle: main.groovy → lib/b.groovy → lib/a.groovy → lib/b.groovy (across script threads)");
        });
    }

    private static void complete(CompletableFuture<Object> future, java.util.concurrent.Callable<Object> body) {
        try {
            future.complete(body.call());
        } catch (Throwable t) {
            future.completeExceptionally(t);
        }
    }
}
