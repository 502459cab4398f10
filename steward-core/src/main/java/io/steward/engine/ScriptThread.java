package io.steward.engine;

import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/**
 * One script thread of a run: a virtual thread named {@code run-<id>/<n>}. The handle a script gets from
 * {@code spawn}: {@link #join()} waits for it and returns its value or rethrows its failure.
 */
public final class ScriptThread {
    /** The script thread the calling code runs on, if any: who spawned a thread, who launched a process. */
    private static final ThreadLocal<ScriptThread> CURRENT = new ThreadLocal<>();

    private final String name;
    private final int number;
    private final String parent;
    private final Instant startedAt = Instant.now();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Thread thread;
    private volatile Object value;
    private volatile Throwable failure;

    ScriptThread(String name, int number, String parent) {
        this.name = name;
        this.number = number;
        this.parent = parent;
    }

    /** The script thread running the caller, or null when the caller is not one (a timer, the coordinator). */
    public static ScriptThread current() {
        return CURRENT.get();
    }

    static void runAs(ScriptThread thread) {
        CURRENT.set(thread);
    }

    /** The name of the script thread that spawned this one; null for a run's first thread. */
    public String parent() {
        return parent;
    }

    public String name() {
        return name;
    }

    /** Groovy property access: {@code handle.name}. */
    public String getName() {
        return name;
    }

    public int number() {
        return number;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public boolean isAlive() {
        return done.getCount() > 0;
    }

    /** Waits for the thread to end; returns its value or rethrows what it failed with. */
    public Object join() throws InterruptedException {
        done.await();
        Throwable f = failure;
        if (f != null) {
            if (f instanceof RuntimeException re) {
                throw re;
            }
            if (f instanceof Error error) {
                throw error;
            }
            if (f instanceof InterruptedException ie) {
                throw ie;
            }
            throw new IllegalStateException(name + " failed: " + f.getMessage(), f);
        }
        return value;
    }

    /** Waits up to {@code millis} for the thread to end; whether it has. */
    public boolean awaitEnd(long millis) throws InterruptedException {
        return done.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    void attach(Thread thread) {
        this.thread = thread;
    }

    void interrupt() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    void finish(Object value, Throwable failure) {
        this.value = value;
        this.failure = failure;
        done.countDown();
    }

    @Override
    public String toString() {
        return name;
    }
}
