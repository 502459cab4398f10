package io.steward.gateway;

import io.javalin.http.Context;
import io.steward.coordinator.RunState;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One follower's live Server-Sent Events stream of a run: every durable event after the one it resumes from, in
 * order, until the run's final event. The frames come from the shared {@link EventFrameSource}; this follower's own
 * state is only how far it has got, so however slowly it reads it holds up no other follower. Its {@link RunWatch}
 * says when more is durable: the writer's watermark for a run held here, the store tail for one another primary
 * writes.
 */
final class EventStream {
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final byte[] OPENING = ": steward event stream\n\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

    private final EventFrameCache cache;
    private final RunWatches watches;
    private final Function<String, Optional<Map<String, Object>>> runs;
    private final OpenStreams open;

    EventStream(EventFrameCache cache, RunWatches watches, Function<String, Optional<Map<String, Object>>> runs,
                OpenStreams open) {
        this.cache = cache;
        this.watches = watches;
        this.runs = runs;
        this.open = open;
    }

    /**
     * Follows the run for {@code caller} until its last event, the client leaving, or the caller's token being
     * revoked or expiring: then the stream's thread is interrupted out of its wait and the stream ends with a
     * comment saying why (an {@code EventSource} reconnects and gets the 401 that tells the rest).
     */
    void follow(Context ctx, String id, long after, Caller caller) throws IOException, InterruptedException {
        Thread self = Thread.currentThread();
        String[] why = new String[1];
        OpenStreams.Entry entry = open.open(caller, reason -> {
            why[0] = reason;
            self.interrupt();
        });
        try {
            follow(ctx, id, after, entry);
        } catch (InterruptedException | IOException e) {
            if (!entry.ended()) {
                throw e;
            }
        } finally {
            entry.close();
        }
        if (entry.ended()) {
            Thread.interrupted(); // the interrupt was ours, and is spent
            endWith(ctx, why[0]);
        }
    }

    private static void endWith(Context ctx, String reason) {
        try {
            OutputStream out = ctx.res().getOutputStream();
            out.write((": " + reason + "; the stream ends\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException | RuntimeException e) {
            // the client is gone or the write was cut by the interrupt: the stream ends all the same
        }
    }

    private void follow(Context ctx, String id, long after, OpenStreams.Entry entry) throws IOException, InterruptedException {
        ctx.res().setStatus(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        OutputStream out = ctx.res().getOutputStream();
        out.write(OPENING);
        out.flush();
        try (EventFrameCache.Lease ignored = cache.follow(id); RunWatch watch = watches.open(id)) {
            long last = after;
            boolean force = false;
            while (!entry.ended()) {
                FrameBlock.Slice frames = watch.after(last, force);
                force = false;
                if (!frames.isEmpty()) {
                    frames.writeTo(out);
                    out.flush();
                    last = frames.lastSeq();
                    continue;
                }
                Map<String, Object> run = runs.apply(id).orElseThrow();
                if (RunState.valueOf((String) run.get("state")).isTerminal() && last >= lastSeq(run)) {
                    return;
                }
                if (!watch.await(last, HEARTBEAT)) {
                    out.write(KEEP_ALIVE);
                    out.flush();
                    force = true;
                }
            }
        }
    }

    private static long lastSeq(Map<String, Object> run) {
        return ((Number) run.getOrDefault("lastSeq", 0L)).longValue();
    }
}
