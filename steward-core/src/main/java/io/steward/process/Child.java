package io.steward.process;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A child a {@link Spawner} started, as the registry needs it: its output, its end, and a tree kill that cannot
 * hit another process.
 */
interface Child {
    long pid();

    /**
     * Reads the child's stdout into {@code out} and its stderr into {@code err} until their ends, and waits for
     * the child. Completes with the exit code (128 + the signal number when a signal ended the child) once the child
     * has exited and both streams were read to their ends — or, when a background grandchild keeps a pipe open,
     * once {@code drainAfterExit} has passed since the exit: the pumps are then stopped, so that their unfinished
     * lines come before the exit and nothing comes after it. Called once, right after the spawn. The future may
     * complete on a thread of the spawner's that must not be held up for long.
     */
    CompletableFuture<Integer> watch(OutputPump out, OutputPump err, Duration drainAfterExit);

    /**
     * Writes {@code text} (UTF-8) to the child's stdin on a thread of its own, then closes it; the spec had stdin
     * text. A child that closes its stdin early just does not get the rest.
     */
    void feed(String text);

    boolean isAlive();

    /**
     * Kills the child and its descendants ({@link ProcessTree}) unless it has already been reaped, so that its
     * pid, perhaps given to a new process since, is never signalled. Does not wait.
     */
    void killTree();
}
