package io.steward.agent;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Child runs that processes of this agent's runs ask for ({@code steward run} in such a process), forwarded to the
 * primary as {@code child} frames and matched with its {@code child-started} or {@code child-refused} answer by
 * request id (docs/agent-protocol.md, "Child runs from processes").
 *
 * <p>Unlike status callbacks, a child run needs the primary now: while the link is down the request is refused at
 * once (503) rather than queued, so that a child never starts long after the process that asked has given up.
 */
final class ChildRequests {
    /** How long beyond the child's own wait the answer may take to come back over the link. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);

    private final Consumer<Map<String, Object>> link;
    private final BooleanSupplier connected;
    private final Map<Long, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    /** A refusal with the HTTP status the callback endpoint answers. */
    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** @param link queues a frame for the primary (never blocks); {@code connected} tells whether the link is up */
    ChildRequests(Consumer<Map<String, Object>> link, BooleanSupplier connected) {
        this.link = link;
        this.connected = connected;
    }

    /**
     * Asks the primary to start a child of {@code parent}; answers the child's JSON (when it ended, with a wait).
     *
     * @throws Refused with the status to answer: the link is down (503), the primary refused (its status), no
     *                 answer in time (504)
     */
    Map<String, Object> start(String parent, String script, Integer version, Map<String, Object> args, Long timeoutMs,
                              Duration wait) throws InterruptedException {
        if (!connected.getAsBoolean()) {
            throw new Refused(503, "the agent's link to the primary is down and a child run needs the primary: "
                    + "try again when the agent is connected");
        }
        long id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        pending.put(id, answer);
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "child");
        frame.put("requestId", id);
        frame.put("parent", parent);
        frame.put("script", script);
        frame.put("version", version);
        frame.put("args", args);
        frame.put("timeoutMs", timeoutMs);
        frame.put("waitMs", wait == null ? null : wait.toMillis());
        try {
            link.accept(frame);
            Duration within = wait == null ? ANSWER_WITHIN : ANSWER_WITHIN.plus(wait);
            Map<String, Object> reply = answer.get(within.toMillis(), TimeUnit.MILLISECONDS);
            if ("child-started".equals(reply.get("type")) && reply.get("run") instanceof Map<?, ?>) {
                @SuppressWarnings("unchecked")
                Map<String, Object> run = (Map<String, Object>) reply.get("run");
                return run;
            }
            int status = reply.get("status") instanceof Number n ? n.intValue() : 502;
            throw new Refused(status, String.valueOf(reply.get("message")));
        } catch (TimeoutException e) {
            throw new Refused(504, "the primary did not answer the child run request in time (the link may have "
                    + "dropped): look for a child of run " + parent + " on the primary before trying again");
        } catch (ExecutionException e) {
            throw new Refused(502, "the child run request failed: " + e.getCause().getMessage());
        } finally {
            pending.remove(id);
        }
    }

    /** A {@code child-started} or {@code child-refused} frame from the primary. */
    void answer(Map<String, Object> frame) {
        if (!(frame.get("requestId") instanceof Number id)) {
            throw new IllegalArgumentException("a child answer needs its requestId");
        }
        CompletableFuture<Map<String, Object>> waiting = pending.get(id.longValue());
        if (waiting != null) {
            waiting.complete(frame);
        }
    }
}
