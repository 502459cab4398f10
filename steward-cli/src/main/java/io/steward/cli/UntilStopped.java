package io.steward.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a serving command ({@code server}, {@code demo}) serving until the JVM is asked to stop (Ctrl-C, SIGTERM), and
 * the JVM from exiting before the command has closed what it serves. Open it first in the command's
 * try-with-resources, so that it closes last: {@link #await} returns when a stop is asked; the shutdown hook it
 * registered then waits (at most 15 s) for {@link #close}. A command that never awaits (the demo with {@code --exit})
 * registers no hook.
 * <p>
 * The hook must not wait for the main thread to end instead: main ends in {@code System.exit}, which blocks for good
 * while the JVM is already shutting down, so every stop then took the hook's full patience (the fault drills found
 * each {@code kill -TERM} of a primary taking 15 s).
 */
final class UntilStopped implements AutoCloseable {
    private static final long PATIENCE_SECONDS = 15;

    private final CountDownLatch stopAsked = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);

    /** Blocks until the JVM is asked to stop. */
    void await() throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopAsked.countDown();
            try {
                closed.await(PATIENCE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                // the JVM is going anyway
            }
        }, "steward-shutdown"));
        stopAsked.await();
    }

    /** What the command served is closed: the JVM may exit. */
    @Override
    public void close() {
        closed.countDown();
    }
}
