package io.steward.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A light stand-in for an agent over a real WebSocket, speaking docs/agent-protocol.md: it joins, and answers each
 * {@code run} with created, a RUNNING and a final state event, and ended — at once, or only when told (held runs),
 * so tests can cancel them, cut the link or let the grace period pass. A {@code message} to a RUNNING run becomes its
 * next event and is answered {@code delivered}, else {@code undeliverable}; {@link #answerMessages} off makes it
 * silent. Used by the primary's tests and benchmarks; the real agent is tested with real agent processes.
 */
public final class SimulatedAgent implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The link's path as docs/agent-protocol.md states it, written out rather than taken from the server's
     * {@code AgentLink.PATH}: the testkit depends on no Steward module, and a moved path then fails the tests.
     */
    private static final String LINK_PATH = "/api/v1/agent";

    public final String name;
    private final String wsUrl;
    private final Map<String, Object> labels;
    private final Function<Map<String, Object>, Object> work;
    private final boolean hold;
    private final HttpClient http;
    private volatile WebSocket socket;
    private volatile String token;
    public final List<Map<String, Object>> received = new CopyOnWriteArrayList<>();
    public final Map<String, Map<String, Object>> runs = new ConcurrentHashMap<>();
    public volatile CompletableFuture<Map<String, Object>> welcome = new CompletableFuture<>();
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    /**
     * Runs, cancels and messages are handled off the listener's thread but in the order they came: a cancel (or a
     * message) right behind its run must find the run (on threads of their own, a cancel could come first and be
     * lost under load, leaving a fail-fast fan-out waiting for a child nobody ends).
     */
    private final java.util.concurrent.ExecutorService inOrder =
            java.util.concurrent.Executors.newSingleThreadExecutor(Thread.ofVirtual().factory());
    /** Fault knob: when false, {@code message} frames are received but never answered. */
    public volatile boolean answerMessages = true;
    /**
     * Fault knob: when true, {@code run} frames are received (and listed in {@link #received}) but go no further, as a
     * frame lost on a link cut before it arrived.
     */
    public volatile boolean dropRuns;
    /**
     * Knob: when true, a run whose end the primary acknowledged is forgotten, as a real agent's outbox drops it, so
     * that poll answers list only runs not yet acknowledged to their end (docs/agent-protocol.md). Off by default:
     * tests read {@link #runs} after the end. The fleet benchmarks set it, or every poll answer of an idle agent would
     * list every run it ever had, which no real agent does.
     */
    public volatile boolean forgetAcknowledged;

    /**
     * @param work what a run "computes" from its run message (its result); throwing makes it FAILED
     * @param hold when true, runs stay RUNNING until {@link #finish} (or a cancel)
     */
    public SimulatedAgent(String primaryUrl, String token, String name, Map<String, Object> labels,
                          Function<Map<String, Object>, Object> work, boolean hold) {
        this(HttpClient.newHttpClient(), primaryUrl, token, name, labels, work, hold);
    }

    /** @param http shared by many simulated agents (each JDK client has a selector thread of its own) */
    public SimulatedAgent(HttpClient http, String primaryUrl, String token, String name, Map<String, Object> labels,
                          Function<Map<String, Object>, Object> work, boolean hold) {
        this.http = http;
        this.wsUrl = primaryUrl.replaceFirst("^http", "ws") + LINK_PATH;
        this.token = token;
        this.name = name;
        this.labels = labels;
        this.work = work;
        this.hold = hold;
    }

    public SimulatedAgent connect() {
        welcome = new CompletableFuture<>();
        socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .buildAsync(URI.create(wsUrl), new Listener()).join();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", name);
        info.put("host", "sim-" + name);
        info.put("os", "Linux");
        info.put("arch", "amd64");
        info.put("cpus", 1);
        info.put("memoryBytes", 1L << 30);
        info.put("labels", labels);
        List<Map<String, Object>> known = new ArrayList<>();
        runs.forEach((id, r) -> known.add(Map.of("id", id, "state", r.get("state"), "lastSeq", r.get("lastSeq"))));
        send(Map.of("type", "hello", "name", name, "labels", labels, "info", info, "runs", known));
        return this;
    }

    /** Joins and waits for the welcome; the credential it brings is used from then on. */
    public Map<String, Object> join() {
        connect();
        Map<String, Object> w = welcome.orTimeout(20, TimeUnit.SECONDS).join();
        if (w.get("credential") instanceof String credential) {
            token = credential;
        }
        return w;
    }

    public synchronized void send(Map<String, Object> frame) {
        try {
            socket.sendText(JSON.writeValueAsString(frame), true).get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("send failed: " + e, e);
        }
    }

    /** Answers in the background; an answer the link was cut under goes nowhere, as over a cut cable. */
    private void answer(WebSocket on, Map<String, Object> frame) {
        try {
            send(frame);
        } catch (IllegalStateException e) {
            if (!on.isOutputClosed()) {
                throw e;
            }
        }
    }

    /** Sends raw text, for malformed-frame tests. */
    public synchronized void sendRaw(String text) {
        socket.sendText(text, true).join();
    }

    /** Drops the link without goodbye, as a cut cable would. */
    public void cut() {
        socket.abort();
    }

    public String credential() {
        return token;
    }

    /** Ends a held run with its result (or CANCELLED when {@code cancelled}). */
    public void finish(String id, boolean cancelled) {
        Map<String, Object> run = runs.get(id);
        Object result = null;
        String state = "SUCCEEDED";
        Map<String, Object> error = null;
        if (cancelled) {
            state = "CANCELLED";
            error = Map.of("script", run.get("script"), "line", 0, "message", "cancelled");
        } else {
            try {
                result = work.apply(run);
            } catch (RuntimeException e) {
                state = "FAILED";
                error = Map.of("script", run.get("script"), "line", 1, "message", String.valueOf(e.getMessage()));
            }
        }
        long seq = ((Number) run.get("lastSeq")).longValue() + 1;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("state", state);
        if (error != null) {
            data.put("error", error);
        } else {
            data.put("result", result);
        }
        send(Map.of("type", "events", "id", id, "events", List.of(event(seq, "state", data))));
        // the outcome goes into the run before its state does: a poll answered meanwhile must carry all of it, as a
        // real agent's does (the primary may record the end from that answer)
        run.put("result", result);
        run.put("error", error);
        run.put("endedAt", Instant.now().toString());
        run.put("lastSeq", seq);
        run.put("state", state);
        send(Map.of("type", "ended", "run", snapshot(run)));
    }

    private void run(Map<String, Object> message) {
        String id = (String) message.get("id");
        if (runs.containsKey(id)) {
            return; // a run id starts once, as on a real agent
        }
        Map<String, Object> run = java.util.Collections.synchronizedMap(new LinkedHashMap<>(message));
        run.put("state", "RUNNING");
        run.put("lastSeq", 2L);
        runs.put(id, run);
        send(Map.of("type", "created", "run", snapshot(run)));
        send(Map.of("type", "events", "id", id, "events", List.of(
                event(1, "state", Map.of("state", "QUEUED")), event(2, "state", Map.of("state", "RUNNING")))));
        if (!hold) {
            finish(id, false);
        }
    }

    private void message(Map<String, Object> frame) {
        String id = (String) frame.get("id");
        Map<String, Object> run = runs.get(id);
        if (run == null || !"RUNNING".equals(run.get("state"))) {
            send(Map.of("type", "undeliverable", "messageId", frame.get("messageId"), "id", id, "reason", run == null
                    ? "run " + id + " is not running on node " + name
                    : "run " + id + " has already ended as " + run.get("state") + ": messages go to running runs only"));
            return;
        }
        long seq;
        synchronized (run) {
            seq = ((Number) run.get("lastSeq")).longValue() + 1;
            run.put("lastSeq", seq);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("message", frame.get("message"));
        send(Map.of("type", "events", "id", id, "events", List.of(event(seq, "message", data))));
        send(Map.of("type", "delivered", "messageId", frame.get("messageId"), "id", id, "seq", seq));
    }

    private Map<String, Object> snapshot(Map<String, Object> run) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", run.get("id"));
        s.put("script", run.get("script"));
        s.put("version", run.get("version"));
        s.put("state", run.get("state"));
        s.put("args", run.get("args"));
        s.put("shared", Map.of());
        s.put("status", Map.of("values", Map.of()));
        s.put("createdAt", Instant.now().toString());
        s.put("startedAt", Instant.now().toString());
        s.put("node", name);
        s.put("parent", run.get("parent"));
        s.put("lastSeq", run.get("lastSeq"));
        s.put("result", run.get("result"));
        s.put("error", run.get("error"));
        s.put("endedAt", run.get("endedAt"));
        return s;
    }

    private static Map<String, Object> event(long seq, String kind, Map<String, Object> data) {
        return Map.of("seq", seq, "kind", kind, "time", Instant.now().toString(), "data", data);
    }

    @SuppressWarnings("unchecked")
    private void onFrame(Map<String, Object> frame) {
        received.add(frame);
        switch ((String) frame.get("type")) {
            case "welcome" -> welcome.complete(frame);
            case "error" -> welcome.completeExceptionally(new IllegalStateException(
                    frame.get("code") + ": " + frame.get("message")));
            case "run" -> {
                if (!dropRuns) {
                    inOrder.execute(() -> run(frame));
                }
            }
            case "cancel" -> inOrder.execute(() -> {
                Map<String, Object> run = runs.get((String) frame.get("id"));
                if (run != null && "RUNNING".equals(run.get("state"))) {
                    finish((String) frame.get("id"), true);
                }
            });
            case "message" -> {
                if (answerMessages) {
                    inOrder.execute(() -> message(frame));
                }
            }
            case "poll" -> {
                WebSocket on = socket;
                Thread.ofVirtual().start(() -> answer(on, Map.of("type", "status", "pollId", frame.get("pollId"),
                        "runs", runs.values().stream().map(this::snapshot).toList())));
            }
            case "ack" -> {
                if (forgetAcknowledged) {
                    inOrder.execute(() -> forgetIfEnded((String) frame.get("id"), ((Number) frame.get("seq")).longValue()));
                }
            }
            default -> { }
        }
    }

    private void forgetIfEnded(String id, long ackedTo) {
        Map<String, Object> run = runs.get(id);
        if (run != null && !"RUNNING".equals(run.get("state")) && ((Number) run.get("lastSeq")).longValue() <= ackedTo) {
            runs.remove(id);
        }
    }

    public List<Map<String, Object>> received(String type) {
        return received.stream().filter(f -> type.equals(f.get("type"))).toList();
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
        inOrder.shutdown();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        @SuppressWarnings("unchecked")
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    onFrame(JSON.readValue(text.toString(), Map.class));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
        }
    }

    public static Duration patience() {
        return Duration.ofSeconds(20);
    }
}
