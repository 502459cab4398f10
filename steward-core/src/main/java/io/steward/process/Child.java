package io.steward.process;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * A child a {@link Spawner} started, as the registry needs it: its pipes, its end and a tree kill that cannot
 * hit another process.
 */
interface Child {
    long pid();

    /** The read end of its stdout pipe. */
    InputStream stdout();

    /** The read end of its stderr pipe. */
    InputStream stderr();

    /** The write end of its stdin pipe; only called when the spec had stdin text. */
    OutputStream stdin();

    /**
     * Completes with the exit code once the child has exited and been reaped: 128 + the signal number when a
     * signal ended it. Completes on a thread of the spawner's that must not be held up for long.
     */
    CompletableFuture<Integer> exitCode();

    boolean isAlive();

    /**
     * Runs blocking work on this child's streams (pumping its output, feeding its stdin) on a thread that may
     * block in a read or write for as long as the stream stays open. Done once the task has returned.
     */
    Future<?> onStreamThread(String name, Runnable task);

    /**
     * Kills the child and its descendants ({@link ProcessTree}) unless it has already been reaped, so that its
     * pid, perhaps given to a new process since, is never signalled. Does not wait.
     */
    void killTree();
}
