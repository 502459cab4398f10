package io.steward.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.steward.coordinator.RunEvent;
import io.steward.store.Store;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's timeline: pages of events, the same URL as a live Server-Sent Events stream, and process output by byte
 * offset. Everything is served from the store once it is durable, so what a client has seen survives a crash, and
 * a stream resumed from any sequence number repeats and skips nothing. Live streams are {@link EventStream}s.
 */
final class EventRoutes {
    private static final int PAGE = 1000;

    private final Store store;
    private final RunRoutes runs;
    private final EventStream stream;

    /** @param frames the encoded frames shared by every follower of a run */
    EventRoutes(Store store, RunRoutes runs, ObjectMapper mapper, EventFrameCache frames) {
        this.store = store;
        this.runs = runs;
        this.stream = new EventStream(frames, new EventFrameSource(frames, store, new SseFrames(mapper)), store, runs::find);
    }

    void register(RouteTable routes) {
        routes.get("/api/v1/runs/{id}/events", Access.VIEWER,
                "Events after a sequence number; with Accept: text/event-stream, follow live (resumes from Last-Event-ID)",
                this::events);
        routes.get("/api/v1/runs/{id}/output", Access.VIEWER,
                "Process output as text from a byte offset (X-Next-Offset, X-More)", this::output);
    }

    private static final Duration ENDED_TIMELINE_WAIT = Duration.ofSeconds(1);

    private void events(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        Map<String, Object> run = runs.find(id).orElseThrow(() -> RunRoutes.notFound(id));
        long after = after(ctx);
        String accept = ctx.header("Accept");
        if (accept != null && accept.contains("text/event-stream")) {
            stream.follow(ctx, id, after);
            return;
        }
        int limit = RunRoutes.intParam(ctx, "limit", PAGE, 1, 10_000);
        awaitEndedTimeline(id, run);
        List<RunEvent> page = store.events().page(id, after, limit);
        long next = page.isEmpty() ? after : page.getLast().seq();
        boolean ended = terminal(run) && next >= lastSeq(id, run);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("events", page.stream().map(EventRoutes::view).toList());
        answer.put("next", next);
        answer.put("ended", ended);
        ctx.json(answer);
    }

    private void output(Context ctx) {
        String id = ctx.pathParam("id");
        Map<String, Object> run = runs.find(id).orElseThrow(() -> RunRoutes.notFound(id));
        long offset = longParam(ctx, "offset");
        int limit = RunRoutes.intParam(ctx, "limit", 64 * 1024, 1, 16 << 20);
        String stream = ctx.queryParam("stream");
        if (stream != null && !stream.equals("stdout") && !stream.equals("stderr")) {
            throw ApiError.badRequest("stream must be stdout or stderr, not '" + stream + "'");
        }
        awaitEndedTimeline(id, run);
        var chunk = store.events().output(id, offset, limit,
                stream == null ? null : io.steward.process.StdStream.valueOf(stream.toUpperCase(java.util.Locale.ROOT)));
        ctx.header("X-Next-Offset", Long.toString(chunk.nextOffset()));
        // Output is served from the store: "no more" needs the run ended and its whole timeline stored.
        boolean complete = terminal(run) && store.events().count(id) >= lastSeq(id, run);
        ctx.header("X-More", Boolean.toString(chunk.more() || !complete));
        ctx.contentType("text/plain;charset=utf-8").result(chunk.text());
    }

    /**
     * A client that read a run's end ({@code ?wait=} on invoke, a poll) and then asks for its events or output must
     * get the whole timeline, not a page the group commit has not reached yet: so for an ended run, wait (briefly,
     * bounded) until its events are durable. Live runs answer at once with what is durable; {@code ended} and
     * {@code X-More} tell the rest.
     */
    private void awaitEndedTimeline(String id, Map<String, Object> run) {
        if (!terminal(run)) {
            return;
        }
        try {
            store.writer().awaitDurable(id, lastSeq(id, run) - 1, ENDED_TIMELINE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long lastSeq(String id, Map<String, Object> run) {
        return ((Number) run.getOrDefault("lastSeq", 0L)).longValue();
    }

    private static boolean terminal(Map<String, Object> run) {
        return io.steward.coordinator.RunState.valueOf((String) run.get("state")).isTerminal();
    }

    private static long after(Context ctx) {
        String resume = ctx.header("Last-Event-ID");
        if (resume != null && !resume.isBlank()) {
            try {
                return Long.parseLong(resume.strip());
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("Last-Event-ID must be an event sequence number, not '" + resume + "'");
            }
        }
        return longParam(ctx, "after");
    }

    private static long longParam(Context ctx, String name) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return 0;
        }
        try {
            long n = Long.parseLong(text);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiError.badRequest(name + " must be a whole number of 0 or more, not '" + text + "'");
    }

    static Map<String, Object> view(RunEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", e.seq());
        m.put("kind", e.kind());
        m.put("time", java.time.Instant.ofEpochMilli(e.time()).toString());
        m.put("data", e.data());
        return m;
    }
}
