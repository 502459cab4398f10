package io.steward.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small primary for the agent's tests: a real WebSocket server on 127.0.0.1 that speaks the agent link as the
 * real one will. It welcomes the join token (issuing a credential) and that credential, refuses anything else,
 * records every frame, keeps each run's events deduplicated by seq (as the primary does), and acks them.
 *
 * <p>Fault knobs: {@link #dropSession()} cuts the link, {@link #stop()} and {@link #start()} restart the server on
 * the same port, {@link #ackCap} acknowledges events only up to a seq, {@link #refuseWith} answers every hello with
 * an error.
 */
final class FakePrimary implements AutoCloseable {
    static final String JOIN_TOKEN = "stw_join_test";
    static final String CREDENTIAL = "stw_agent_credential_1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Javalin server;
    private int port;
    private volatile WsContext session;

    final List<String> authorizations = new CopyOnWriteArrayList<>();
    final List<Map<String, Object>> frames = new CopyOnWriteArrayList<>();
    /** Each run's events by seq, the first copy of each kept: the primary's deduplicated timeline. */
    final Map<String, Map<Long, Map<String, Object>>> events = new ConcurrentHashMap<>();
    /** Every event seq received per run, duplicates included, in arrival order. */
    final Map<String, List<Long>> received = new ConcurrentHashMap<>();
    /** The connection (1, 2, …) on which each run's events arrived, in arrival order, parallel to {@link #received}. */
    final Map<String, List<Integer>> receivedOn = new ConcurrentHashMap<>();
    final AtomicLong ackCap = new AtomicLong(Long.MAX_VALUE);
    volatile String refuseWith;
    private volatile int connection;

    FakePrimary start() {
        server = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = "127.0.0.1";
            cfg.jetty.port = port;
            cfg.routes.ws(AgentConfig.LINK_PATH, ws -> {
                ws.onConnect(ctx -> {
                    authorizations.add(String.valueOf(ctx.header("Authorization")));
                    connection++;
                    session = ctx;
                });
                ws.onMessage(ctx -> onMessage(ctx, ctx.message()));
            });
        });
        server.start();
        port = server.port();
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    int connections() {
        return connection;
    }

    void stop() {
        server.stop();
        session = null;
    }

    void dropSession() {
        WsContext current = session;
        if (current != null) {
            current.closeSession();
        }
    }

    void send(Map<String, Object> frame) {
        WsContext current = session;
        if (current == null) {
            throw new IllegalStateException("no agent connected");
        }
        current.send(write(frame));
    }

    List<Map<String, Object>> frames(String type) {
        return frames.stream().filter(f -> type.equals(f.get("type"))).toList();
    }

    /** The run's events, deduplicated, in seq order. */
    List<Map<String, Object>> events(String runId) {
        Map<Long, Map<String, Object>> bySeq = events.getOrDefault(runId, Map.of());
        return bySeq.keySet().stream().sorted().map(bySeq::get).toList();
    }

    Map<String, Object> ended(String runId) {
        return frames("ended").stream().map(f -> run(f)).filter(r -> runId.equals(r.get("id"))).findFirst()
                .orElse(null);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> run(Map<String, Object> frame) {
        return (Map<String, Object>) frame.get("run");
    }

    @SuppressWarnings("unchecked")
    private synchronized void onMessage(WsContext ctx, String text) throws Exception {
        Map<String, Object> frame = JSON.readValue(text, Map.class);
        frames.add(frame);
        switch (String.valueOf(frame.get("type"))) {
            case "hello" -> {
                String auth = authorizations.get(authorizations.size() - 1);
                if (refuseWith != null) {
                    reply(ctx, Map.of("type", "error", "code", refuseWith, "message", "not for you"));
                    ctx.closeSession(1008, refuseWith);
                } else if (auth.equals("Bearer " + JOIN_TOKEN)) {
                    reply(ctx, Map.of("type", "welcome", "name", frame.get("name"), "state", "online",
                            "credential", CREDENTIAL, "pollIntervalMs", 5000, "heartbeatMs", 10000));
                } else if (auth.equals("Bearer " + CREDENTIAL)) {
                    reply(ctx, Map.of("type", "welcome", "name", frame.get("name"), "state", "online",
                            "pollIntervalMs", 5000, "heartbeatMs", 10000));
                } else {
                    reply(ctx, Map.of("type", "error", "code", "unauthorized", "message", "unknown token"));
                    ctx.closeSession(1008, "unauthorized");
                }
            }
            case "events" -> {
                String id = (String) frame.get("id");
                long last = 0;
                for (Map<String, Object> event : (List<Map<String, Object>>) frame.get("events")) {
                    long seq = ((Number) event.get("seq")).longValue();
                    events.computeIfAbsent(id, k -> new ConcurrentHashMap<>()).putIfAbsent(seq, event);
                    received.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(seq);
                    receivedOn.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(connection);
                    last = seq;
                }
                long ack = Math.min(last, ackCap.get());
                if (ack > 0) {
                    reply(ctx, Map.of("type", "ack", "id", id, "seq", ack));
                }
            }
            case "ended" -> {
                Map<String, Object> run = run(frame);
                long last = ((Number) run.get("lastSeq")).longValue();
                if (last <= ackCap.get()) {
                    reply(ctx, Map.of("type", "ack", "id", run.get("id"), "seq", last));
                }
            }
            default -> { }
        }
    }

    /** Acks, up to the current cap, everything held for a run (after the cap is lifted). */
    void ackHeld(String runId) {
        List<Long> seqs = new ArrayList<>(events.getOrDefault(runId, Map.of()).keySet());
        long last = seqs.stream().mapToLong(Long::longValue).max().orElse(0);
        send(Map.of("type", "ack", "id", runId, "seq", Math.min(last, ackCap.get())));
    }

    private static void reply(WsContext ctx, Map<String, Object> frame) {
        ctx.send(write(frame));
    }

    private static String write(Map<String, Object> frame) {
        try {
            return JSON.writeValueAsString(frame);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
    }
}
