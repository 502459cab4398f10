package io.steward.process;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The posix spawner's virtual-caller path: the platform thread that spawns stays with the child as its watcher and
 * polls before {@link Child#watch} has handed it the pumps. Output written, and an exit that happened, before the
 * launcher calls {@code watch} must still all arrive, in order, with the exit after the output.
 */
class VirtualCallerSpawnsAndWatchesOnOneThreadTest {
    private PosixSpawner spawner;

    @BeforeEach
    void posixOnly() {
        assumeTrue(PosixSpawner.available(), () -> "posix_spawn cannot load here: " + PosixSpawner.unavailableReason());
        spawner = PosixSpawner.instance();
    }

    @Test
    void outputAndExitBeforeTheWatchCallAreAllDelivered() throws Exception {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                Child child = spawner.spawn(ProcessSpec.shell("echo one; echo two >&2; echo three; exit 7"));
                Thread.sleep(300); // the child has written and exited by now; its watcher waits for the pumps
                outcome.set(watchToEnd(child));
            } catch (Throwable e) {
                outcome.set(e);
            }
        }).join();

        assertThat(outcome.get()).isInstanceOf(Result.class);
        Result r = (Result) outcome.get();
        assertThat(r.exit()).isEqualTo(7);
        assertThat(r.out()).containsExactly("one", "three");
        assertThat(r.err()).containsExactly("two");
    }

    @Test
    void manyVirtualCallersAtOnceEachGetTheirOwnOutputAndExitCode() throws Exception {
        int n = 64;
        List<CompletableFuture<Result>> results = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            CompletableFuture<Result> f = new CompletableFuture<>();
            results.add(f);
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    Child child = spawner.spawn(ProcessSpec.shell("seq 1 " + (k * 50) + "; echo err" + k + " >&2; exit " + (k % 5)));
                    f.complete(watchToEnd(child));
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            }));
        }
        for (int i = 0; i < n; i++) {
            Result r = results.get(i).get(30, TimeUnit.SECONDS);
            assertThat(r.exit()).isEqualTo(i % 5);
            assertThat(r.out()).hasSize(i * 50);
            if (i > 0) {
                assertThat(r.out().getFirst()).isEqualTo("1");
                assertThat(r.out().getLast()).isEqualTo(String.valueOf(i * 50));
            }
            assertThat(r.err()).containsExactly("err" + i);
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private record Result(int exit, List<String> out, List<String> err) {
    }

    private static Result watchToEnd(Child child) throws Exception {
        ConcurrentLinkedQueue<String> out = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> err = new ConcurrentLinkedQueue<>();
        OutputPump outPump = new OutputPump(new CappedBuffer(1 << 20), out::add);
        OutputPump errPump = new OutputPump(new CappedBuffer(1 << 20), err::add);
        int exit = child.watch(outPump, errPump, Duration.ofSeconds(2)).get(30, TimeUnit.SECONDS);
        return new Result(exit, List.copyOf(out), List.copyOf(err));
    }
}
