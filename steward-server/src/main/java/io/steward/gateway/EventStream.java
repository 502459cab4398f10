package io.steward.gateway;

import io.javalin.http.Context;
import io.steward.coordinator.RunState;
import io.steward.store.Store;

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
 * state is only how far it has got, so however slowly it reads it holds up no other follower.
 */
final class EventStream {
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final byte[] OPENING = ": steward event stream\n\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

    private final EventFrameCache cache;
    private final EventFrameSource source;
    private final Store store;
    private final Function<String, Optional<Map<String, Object>>> runs;

    EventStream(EventFrameCache cache, EventFrameSource source, Store store,
                Function<String, Optional<Map<String, Object>>> runs) {
        this.cache = cache;
        this.source = source;
        this.store = store;
        this.runs = runs;
    }

    void follow(Context ctx, String id, long after) throws IOException, InterruptedException {
        ctx.res().setStatus(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        OutputStream out = ctx.res().getOutputStream();
        out.write(OPENING);
        out.flush();
        try (EventFrameCache.Lease ignored = cache.follow(id)) {
            long last = after;
            boolean force = false;
            while (true) {
                FrameBlock.Slice frames = source.after(id, last, force);
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
                if (store.writer().awaitDurable(id, last, HEARTBEAT) <= last) {
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
