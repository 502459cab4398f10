package io.steward.agent;

import io.steward.coordination.Coordination;
import io.steward.coordination.CoordinationTimeoutException;
import io.steward.coordination.Journal;
import io.steward.coordination.Owner;
import io.steward.coordination.Pools;
import io.steward.coordination.Semaphores;
import io.steward.engine.JsonValues;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Coordination for the runs of this agent: every {@code vars}, {@code lock}, {@code event}, {@code queue} and
 * {@code pool} operation goes to the primary as a {@code coord} frame and waits for its {@code coord-answer}
 * (docs/agent-protocol.md, "Coordination"); the state lives on the primary only.
 *
 * <p>A link cut neither loses nor doubles a hold: a request not yet answered is sent again, with the same request id,
 * each time the link is welcomed back, and the primary answers a repeat with its first answer. A release is a request
 * like any other, sent again until answered, but the script does not wait for that: it goes on at once. Waits keep
 * their deadline; an answer that does not come within the wait and {@link #ANSWER_WITHIN} more is a timeout.
 */
final class LinkedCoordination implements Coordination {
    /** How long beyond its own wait an answer may take to come back over the link. */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);

    private final long answerWithinMs;

    private final Consumer<Map<String, Object>> link;
    /** By request id, so that what is sent again after a cut goes in the order it was first sent. */
    private final Map<Long, Pending> pending = new ConcurrentSkipListMap<>();
    /** Unique across restarts of this agent too: the primary remembers answers by node and request id for a while. */
    private final AtomicLong ids = new AtomicLong(System.currentTimeMillis() << 16);
    private final String runId;
    private final LinkedCoordination shared;

    private record Pending(long id, Map<String, Object> frame, CompletableFuture<Map<String, Object>> answer) {
    }

    /** Requests whose caller stopped waiting, by id → run: a grant that still comes for one is given back at once. */
    private final Map<Long, String> abandoned = new ConcurrentHashMap<>();

    /** @param link queues a frame for the primary (never blocks; frames queued while the link is down go when it is up) */
    LinkedCoordination(Consumer<Map<String, Object>> link) {
        this(link, ANSWER_WITHIN);
    }

    LinkedCoordination(Consumer<Map<String, Object>> link, Duration answerWithin) {
        this.link = link;
        this.runId = null;
        this.shared = this;
        this.answerWithinMs = answerWithin.toMillis();
    }

    private LinkedCoordination(LinkedCoordination shared, String runId) {
        this.answerWithinMs = shared.answerWithinMs;
        this.link = shared.link;
        this.runId = runId;
        this.shared = shared;
    }

    @Override
    public Coordination forRun(String runId) {
        return new LinkedCoordination(shared, runId);
    }

    /** A {@code coord-answer} frame. */
    void answer(Map<String, Object> frame) {
        if (!(frame.get("requestId") instanceof Number id)) {
            throw new IllegalArgumentException("a coord-answer needs its requestId");
        }
        Pending p = shared.pending.remove(id.longValue());
        if (p != null) {
            p.answer.complete(frame);
            return;
        }
        String run = shared.abandoned.remove(id.longValue());
        if (run != null && Boolean.TRUE.equals(frame.get("ok")) && frame.get("value") instanceof Map<?, ?> hold
                && hold.get("hold") instanceof String token) {
            // granted after its caller gave up (a cut link, a late answer): nobody holds it here, so give it back
            send(hold.containsKey("entry") ? "releaseEntry" : "release", new Owner(run, null, "abandoned"), "hold", token);
        }
    }

    /** The link was welcomed (again): requests whose answers a cut may have lost go again. */
    void rejoined() {
        shared.pending.values().forEach(p -> link.accept(p.frame));
    }

    /** How many requests wait for an answer (releases included). */
    int pending() {
        return shared.pending.size();
    }

    private Object call(String op, Owner owner, long waitMs, Object... fields) throws InterruptedException {
        Pending sent = send(op, owner, fields);
        CompletableFuture<Map<String, Object>> answer = sent.answer();
        Map<String, Object> reply;
        try {
            reply = waitMs >= Long.MAX_VALUE - answerWithinMs ? answer.get()
                    : answer.get(waitMs + answerWithinMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | InterruptedException e) {
            // no more repeats of it; should it still be granted, answer() gives the grant back
            if (shared.pending.remove(sent.id()) != null) {
                shared.abandoned.put(sent.id(), String.valueOf(sent.frame().get("run")));
            }
            if (e instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw new CoordinationTimeoutException("no answer from the primary to '" + op + "' (is the agent's link "
                    + "down?); nothing was taken for this run");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
        if (Boolean.TRUE.equals(reply.get("ok"))) {
            return JsonValues.copy("the primary's answer", reply.get("value"));
        }
        String message = String.valueOf(reply.get("message"));
        int status = reply.get("status") instanceof Number n ? n.intValue() : 500;
        throw status == 400 ? new IllegalArgumentException(message) : new IllegalStateException(message);
    }

    private Pending send(String op, Owner owner, Object... fields) {
        long id = shared.ids.incrementAndGet();
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "coord");
        frame.put("requestId", id);
        frame.put("op", op);
        frame.put("run", owner != null ? owner.runId() : runId);
        frame.put("thread", owner != null ? owner.thread() : Thread.currentThread().getName());
        for (int i = 0; i < fields.length; i += 2) {
            frame.put((String) fields[i], fields[i + 1]);
        }
        Pending pending = new Pending(id, frame, new CompletableFuture<>());
        shared.pending.put(id, pending);
        link.accept(frame);
        return pending;
    }

    private Object now(String op, Object... fields) {
        try {
            return call(op, null, 0, fields);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.steward.engine.ScriptStoppedError();
        }
    }

    @SuppressWarnings("unchecked")
    private static Journal.StoredVar var(Object answer) {
        if (!(answer instanceof Map<?, ?> m)) {
            return null;
        }
        return new Journal.StoredVar((String) m.get("scope"), (String) m.get("name"), m.get("value"),
                ((Number) m.get("version")).longValue(), m.get("expiresAt") instanceof Number n ? n.longValue() : null);
    }

    @Override
    public Journal.StoredVar getVar(String scope, String name) {
        return var(now("getVar", "scope", scope, "name", name));
    }

    @Override
    public Journal.StoredVar putVar(String scope, String name, Object value, long ttlMs) {
        return var(now("putVar", "scope", scope, "name", name, "value", JsonValues.copy("the value", value), "ttlMs", ttlMs));
    }

    @Override
    public Journal.StoredVar compareAndSetVar(String scope, String name, Object expected, Object value, long ttlMs) {
        return var(now("casVar", "scope", scope, "name", name, "expected", JsonValues.copy("the expected value", expected),
                "value", JsonValues.copy("the value", value), "ttlMs", ttlMs));
    }

    @Override
    public boolean removeVar(String scope, String name) {
        return Boolean.TRUE.equals(now("removeVar", "scope", scope, "name", name));
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<String> varNames(String scope) {
        return (List<String>) now("varNames", "scope", scope);
    }

    @Override
    public Semaphores.Hold acquire(String name, int permits, Owner owner, long timeoutMs) throws InterruptedException {
        Object answer = call("acquire", owner, timeoutMs, "name", name, "permits", permits, "timeoutMs", timeoutMs);
        if (!(answer instanceof Map<?, ?> m)) {
            return null;
        }
        // the primary's token for the hold travels in its name: release sends it back
        return new Semaphores.Hold((String) m.get("hold"), 0, owner, ((Number) m.get("since")).longValue());
    }

    @Override
    public void release(Semaphores.Hold hold) {
        // not waited for: sent again on every reconnect until the primary has answered it
        send("release", hold.owner(), "hold", hold.name());
    }

    @Override
    public String holders(String name) {
        return String.valueOf(now("holders", "name", name));
    }

    @Override
    public void post(String event) {
        now("post", "name", event);
    }

    @Override
    public void reset(String event) {
        now("reset", "name", event);
    }

    @Override
    public int pulse(String event) {
        return ((Number) now("pulse", "name", event)).intValue();
    }

    @Override
    public boolean isPosted(String event) {
        return Boolean.TRUE.equals(now("isPosted", "name", event));
    }

    @Override
    public boolean awaitEvent(String event, Owner owner, long timeoutMs) throws InterruptedException {
        return Boolean.TRUE.equals(call("awaitEvent", owner, timeoutMs, "name", event, "timeoutMs", timeoutMs));
    }

    @Override
    public long put(String queue, Object message) {
        return ((Number) now("put", "name", queue, "value", JsonValues.copy("the message", message))).longValue();
    }

    @Override
    public Journal.StoredMessage take(String queue, Owner owner, long timeoutMs) throws InterruptedException {
        Object answer = call("take", owner, timeoutMs, "name", queue, "timeoutMs", timeoutMs);
        if (!(answer instanceof Map<?, ?> m)) {
            return null;
        }
        return new Journal.StoredMessage(queue, ((Number) m.get("id")).longValue(), m.get("value"));
    }

    @Override
    public int depth(String queue) {
        return ((Number) now("depth", "name", queue)).intValue();
    }

    @Override
    public Pools.PoolHold acquireEntry(String pool, Owner owner, long timeoutMs, int priority) throws InterruptedException {
        Object answer = call("acquireEntry", owner, timeoutMs, "name", pool, "timeoutMs", timeoutMs, "priority", priority);
        if (!(answer instanceof Map<?, ?> m)) {
            return null;
        }
        // the pool's place carries the primary's token: release sends it back
        return new Pools.PoolHold((String) m.get("hold"), (String) m.get("entry"), m.get("value"), owner,
                ((Number) m.get("since")).longValue());
    }

    @Override
    public void release(Pools.PoolHold hold) {
        send("releaseEntry", hold.owner(), "hold", hold.pool());
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> poolEntries(String pool) {
        return (List<Map<String, Object>>) now("poolEntries", "name", pool);
    }
}
