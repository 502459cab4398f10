package io.steward.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.steward.nodes.Nodes;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.steward.gateway.Operation.op;

/**
 * {@code GET /api/v1/changes}: a Server-Sent Events stream of the runs and nodes that change, for pages that list
 * them (the console's dashboard and nodes page) instead of polling. Each change is sent as the thing's state when
 * sent ({@code event: run} with a run summary, {@code event: node} with the node as {@code /api/v1/nodes} shows it),
 * so many changes of one thing in quick succession become one frame, and at most one batch goes out per
 * {@link #PACE}. Not resumable: every (re)connect starts with {@code event: hello}, after which a client re-reads
 * what it shows, then applies the changes; {@code event: reset} asks the same of a client too slow to keep up.
 */
final class ChangeRoutes {
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);
    /** The least time between two batches to one client: a busy primary sends a few frames a second, not thousands. */
    static final Duration PACE = Duration.ofMillis(200);
    private static final List<String> RUN_FIELDS = List.of("id", "script", "version", "state", "node", "parent",
            "invoker", "createdAt", "startedAt", "endedAt", "durationMs", "error");

    private final ChangeFeed feed;
    private final RunRoutes runs;
    private final Nodes nodes;
    private final ObjectMapper mapper;
    private final OpenStreams open;
    private final StreamSlots slots;

    ChangeRoutes(ChangeFeed feed, RunRoutes runs, Nodes nodes, ObjectMapper mapper, OpenStreams open, StreamSlots slots) {
        this.slots = slots;
        this.feed = feed;
        this.runs = runs;
        this.nodes = nodes;
        this.mapper = mapper;
        this.open = open;
    }

    void register(RouteTable routes) {
        routes.get("/api/v1/changes", Access.VIEWER, op("changes", "streamChanges",
                "Server-Sent Events of runs and nodes as they change (event: hello, run, node, reset)")
                .answersOther(200, "text/event-stream", "`event: hello` first; then `event: run` with a run summary "
                        + "(the Run schema without args, shared, status, threads, processes and children; with "
                        + "`progress`), `event: node` with the Node schema, `event: reset` when the client fell behind: "
                        + "re-read what it shows. Not resumable.")
                .describe("A token over its limit of open streams gets 429 `too_many_streams`.").errors(429),
                this::changes);
    }

    private void changes(Context ctx) throws IOException, InterruptedException {
        try (StreamSlots.Slot ignored = slots.open(Caller.of(ctx))) {
            follow(ctx);
        }
    }

    private void follow(Context ctx) throws IOException, InterruptedException {
        ctx.res().setStatus(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        OutputStream out = ctx.res().getOutputStream();
        PendingChanges pending = feed.subscribe();
        Caller caller = Caller.of(ctx);
        String[] why = new String[1];
        // A revoke or expiry of the caller's token closes its pending changes: take() answers null and the stream ends.
        OpenStreams.Entry entry = open.open(caller, reason -> {
            why[0] = reason;
            pending.close();
        });
        try {
            // Subscribed first, then hello: whatever changes after the client's re-read is in pending.
            out.write(("retry: 2000\n\nevent: hello\ndata: {}\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (true) {
                PendingChanges.Batch batch = pending.take(HEARTBEAT);
                if (batch == null) {
                    entry.close();
                    if (entry.ended()) {
                        out.write((": " + why[0] + "; the stream ends\n\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                    return;
                }
                if (batch.isEmpty()) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    continue;
                }
                send(out, batch, caller.scope());
                out.flush();
                Thread.sleep(PACE);
            }
        } finally {
            entry.close();
            feed.unsubscribe(pending);
        }
    }

    private void send(OutputStream out, PendingChanges.Batch batch, TokenScope scope) throws IOException {
        if (batch.overflow()) {
            frame(out, "reset", Map.of());
            return;
        }
        for (String id : batch.runs()) {
            var run = runs.find(id);
            if (run.isPresent() && scope.allowsScript((String) run.get().get("script"))) {
                frame(out, "run", summary(run.get()));
            }
        }
        for (String name : batch.nodes()) {
            var node = nodes.get(name);
            if (node.isPresent()) {
                frame(out, "node", node.get());
            }
        }
    }

    private void frame(OutputStream out, String event, Object data) throws IOException {
        out.write(("event: " + event + "\ndata: " + mapper.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    /** What a list of runs shows: no shared data, status values or threads, which can be large. */
    static Map<String, Object> summary(Map<String, Object> run) {
        Map<String, Object> summary = new LinkedHashMap<>();
        for (String field : RUN_FIELDS) {
            if (run.containsKey(field)) {
                summary.put(field, run.get(field));
            }
        }
        if (run.get("status") instanceof Map<?, ?> status && status.get("progress") != null) {
            summary.put("progress", status.get("progress"));
        }
        return summary;
    }
}
