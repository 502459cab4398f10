package io.steward.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The script threads of one run. Every thread is a virtual thread named {@code run-<id>/<n>}, numbered from 1
 * (the main thread). The listener hears each start and end and, once, that the last thread has ended: that is
 * when a run may end.
 *
 * <p>The live count is raised before a thread starts, by the thread that spawns it, so it cannot drop to zero
 * while a parent is still handing work to a child. After {@link #stop()} no new thread runs its body.
 */
public final class ScriptThreads {

    /** Hears the life of a run's threads. Called on the script threads themselves: keep it quick. */
    public interface Listener {
        void started(ScriptThread thread);

        void ended(ScriptThread thread, Object value, Throwable failure);

        void allEnded();
    }

    private final String runId;
    private final Listener listener;
    private final Map<Integer, ScriptThread> live = new ConcurrentHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();
    private final AtomicInteger liveCount = new AtomicInteger();
    private final List<Runnable> stopHooks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Runnable> endHooks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean stopping;

    public ScriptThreads(String runId, Listener listener) {
        this.runId = runId;
        this.listener = listener;
    }

    /**
     * Starts a script thread running {@code body}.
     *
     * @throws ScriptStoppedError when the run is already stopping
     */
    public ScriptThread start(Callable<Object> body) {
        if (stopping) {
            throw new ScriptStoppedError();
        }
        int n = counter.incrementAndGet();
        ScriptThread spawner = ScriptThread.current();
        ScriptThread handle = new ScriptThread("run-" + runId + "/" + n, n, spawner == null ? null : spawner.name());
        live.put(n, handle);
        liveCount.incrementAndGet();
        Thread thread = Thread.ofVirtual().name(handle.name()).unstarted(() -> runBody(handle, body));
        handle.attach(thread);
        thread.start();
        if (stopping) {
            // stop() may have walked the live threads before this one was in the map.
            handle.interrupt();
        }
        return handle;
    }

    private void runBody(ScriptThread handle, Callable<Object> body) {
        Object value = null;
        Throwable failure = null;
        try {
            ScriptThread.runAs(handle);
            listener.started(handle);
            if (stopping) {
                throw new ScriptStoppedError();
            }
            value = body.call();
        } catch (Throwable t) {
            failure = t;
        } finally {
            handle.finish(value, failure);
            live.remove(handle.number());
            try {
                listener.ended(handle, value, failure);
            } finally {
                if (liveCount.decrementAndGet() == 0) {
                    for (Runnable hook : endHooks) {
                        hook.run();
                    }
                    listener.allEnded();
                }
            }
        }
    }

    /** Refuses new threads, interrupts every live one and runs the stop hooks. */
    public void stop() {
        stopping = true;
        for (ScriptThread t : live.values()) {
            t.interrupt();
        }
        for (Runnable hook : stopHooks) {
            hook.run();
        }
    }

    /**
     * Runs {@code hook} each time the last live thread ends, before the listener hears it: for what a language keeps
     * for the run's threads (pooled contexts). It must be quick and may run more than once.
     */
    public void whenAllEnded(Runnable hook) {
        endHooks.add(hook);
    }

    /**
     * Runs {@code hook} when the run stops (at once if it already is): for a language whose code an interrupt does
     * not reach. It may run twice if registered while the run stops; it must be quick and idempotent.
     */
    public void whenStopping(Runnable hook) {
        stopHooks.add(hook);
        if (stopping) {
            hook.run();
        }
    }

    public boolean stopping() {
        return stopping;
    }

    public int liveCount() {
        return liveCount.get();
    }

    /** How many threads this run has started in all. */
    public int startedCount() {
        return counter.get();
    }

    /** The live threads, oldest first. */
    public List<ScriptThread> live() {
        List<ScriptThread> threads = new ArrayList<>(live.values());
        threads.sort(Comparator.comparingInt(ScriptThread::number));
        return threads;
    }

    public String runId() {
        return runId;
    }
}
