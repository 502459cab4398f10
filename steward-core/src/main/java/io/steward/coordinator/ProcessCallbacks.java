package io.steward.coordinator;

import io.steward.engine.JsonValues;

import java.util.Collection;
import java.util.Map;

/**
 * What a local process may do to its run from outside the engine ({@code steward status set}, {@code status event},
 * {@code status progress}, {@code shared put}, {@code run}): the transport-neutral half of every callback endpoint,
 * shared by the primary's gateway and an agent's loopback endpoint so that both check the same things.
 *
 * <p>Each call goes through the run's own status board and shared data, exactly as the script's
 * {@code status.set(…)}, {@code status.event(…)}, {@code status.progress(…)} and {@code shared.put(…)} do, so the
 * events, snapshot, store and event streams cannot tell a callback from a script call. Every check happens before
 * anything changes: a refused call changes nothing.
 */
public final class ProcessCallbacks {
    /** The largest status value, event data or shared value a callback may set, as JSON-ish characters. */
    public static final int MAX_VALUE_CHARS = 64 * 1024;
    /** The longest status name, event name or shared key. */
    public static final int MAX_NAME_CHARS = 200;

    private final Coordinator coordinator;

    public ProcessCallbacks(Coordinator coordinator) {
        this.coordinator = coordinator;
    }

    /**
     * Sets a status value of a live run; answers the run's latest sequence number.
     *
     * @throws RunNotFoundException     when no run of that id is known here
     * @throws RunEndedException        when it has ended
     * @throws IllegalArgumentException for a bad name or value (the message names it)
     */
    public long setStatus(String runId, String name, Object value) {
        checkName("status name", name);
        checkSize("status value '" + name + "'", value);
        Run run = live(runId);
        run.status().set(name, value);
        return run.lastSeq();
    }

    /** Adds an event to a live run's timeline; see {@link #setStatus} for the failures. */
    public long event(String runId, String name, Object data) {
        checkName("event name", name);
        checkSize("data of event '" + name + "'", data);
        Run run = live(runId);
        run.status().event(name, data);
        return run.lastSeq();
    }

    /** Reports a live run's progress, a fraction from 0 to 1; see {@link #setStatus} for the failures. */
    public long progress(String runId, double fraction, String message) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("progress must be a fraction from 0 to 1, such as 0.5; was " + fraction);
        }
        if (message != null && message.length() > MAX_VALUE_CHARS) {
            throw new IllegalArgumentException("the progress message is " + message.length()
                    + " characters; the limit is " + MAX_VALUE_CHARS);
        }
        Run run = live(runId);
        run.status().progress(fraction, message);
        return run.lastSeq();
    }

    /** Puts a key of a live run's shared data; see {@link #setStatus} for the failures. */
    public long putShared(String runId, String key, Object value) {
        checkName("shared key", key);
        checkSize("shared key '" + key + "'", value);
        Run run = live(runId);
        run.shared().put(key, value);
        return run.lastSeq();
    }

    /**
     * Starts a child run of a live run on this node: {@code request} with the run as its parent. The parent's
     * snapshot lists the child ({@code id, node, state, result, error}) and follows it to its end.
     *
     * @throws RunNotFoundException when the parent is not known here
     * @throws RunEndedException    when the parent has ended
     * @see Coordinator#invoke for the failures of the invoke itself
     */
    public RunHandle startChild(String parentId, InvokeRequest request) throws InterruptedException {
        Run parent = live(parentId);
        RunHandle child = coordinator.invoke(request.withParent(parentId));
        parent.child(child.snapshot().asChild());
        child.completion().thenAccept(end -> parent.child(end.asChild()));
        return child;
    }

    /**
     * Checks that a run is live here, for a callback served elsewhere (an agent forwards child runs to its primary).
     *
     * @throws RunNotFoundException when no run of that id is known here
     * @throws RunEndedException    when it has ended
     */
    public void checkLive(String runId) {
        live(runId);
    }

    private Run live(String runId) {
        Run run = coordinator.find(runId);
        if (run == null) {
            throw new RunNotFoundException(runId);
        }
        if (run.state().isTerminal()) {
            throw new RunEndedException("run " + runId + " has already ended as " + run.state()
                    + ": callbacks reach running runs only");
        }
        return run;
    }

    private static void checkName(String what, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("the " + what + " must be a non-empty string");
        }
        if (name.length() > MAX_NAME_CHARS) {
            throw new IllegalArgumentException("the " + what + " is " + name.length() + " characters; the limit is "
                    + MAX_NAME_CHARS);
        }
    }

    private static void checkSize(String what, Object value) {
        JsonValues.copy(what, value); // names a value that is not JSON before the size is looked at
        long size = size(value, MAX_VALUE_CHARS + 1L);
        if (size > MAX_VALUE_CHARS) {
            throw new IllegalArgumentException("the " + what + " is larger than the limit of " + MAX_VALUE_CHARS
                    + " characters: keep large data in a file or an artifact store and put its location here");
        }
    }

    /** About the length of the value as JSON; stops counting past {@code cap}. */
    private static long size(Object value, long cap) {
        if (value instanceof CharSequence s) {
            return s.length() + 2L;
        }
        if (value instanceof Map<?, ?> map) {
            long n = 2;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                n += String.valueOf(e.getKey()).length() + 4 + size(e.getValue(), cap);
                if (n > cap) {
                    return n;
                }
            }
            return n;
        }
        if (value instanceof Collection<?> list) {
            long n = 2;
            for (Object item : list) {
                n += 1 + size(item, cap);
                if (n > cap) {
                    return n;
                }
            }
            return n;
        }
        return String.valueOf(value).length();
    }
}
