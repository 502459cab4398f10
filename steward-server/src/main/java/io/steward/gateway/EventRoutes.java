package io.steward.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.steward.coordinator.RunEvent;
import io.steward.gateway.wire.Event;
import io.steward.gateway.wire.EventPage;
import io.steward.store.Store;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.steward.gateway.Operation.op;

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
    private final StreamSlots slots;

    /**
     * @param frames the encoded frames shared by every follower of a run
     * @param open   the open streams per token, ended when the token is revoked or expires
     * @param slots  how many streams each token holds, against its limit
     */
    EventRoutes(Store store, RunRoutes runs, ObjectMapper mapper, EventFrameCache frames, OpenStreams open,
                StreamSlots slots) {
        this.slots = slots;
        this.store = store;
        this.runs = runs;
        this.stream = new EventStream(frames, new RunWatches(frames, store, new SseFrames(mapper), runs::heldHere),
                runs::find, open);
    }

    void register(RouteTable routes) {
        routes.get("/api/v1/runs/{id}/events", Access.VIEWER, op("runs", "listRunEvents",
                "Events after a sequence number; with Accept: text/event-stream, follow live (resumes from Last-Event-ID)")
                .query("after", Long.class, "the sequence number to start after (0)")
                .query("limit", Integer.class, "at most this many events, 1 to 10000 (1000); JSON pages only")
                .header("Last-Event-ID", Long.class, "for a stream: the last sequence number seen; overrides after")
                .answers(200, EventPage.class)
                .or("text/event-stream", "Server-Sent Events, one per run event: `id:` its seq, `event:` its kind, "
                        + "`data:` the Event schema as JSON on one line; the stream ends after the run's last event")
                .describe("Ask with `Accept: text/event-stream` (and not application/json) to follow the run live "
                        + "(curl -N, EventSource); an Accept that names both gets the JSON page. A token over its "
                        + "limit of open streams gets 429 `too_many_streams`.").errors(429),
                this::events);
        routes.get("/api/v1/runs/{id}/output", Access.VIEWER, op("runs", "getRunOutput",
                "Process output as text from a byte offset (X-Next-Offset, X-More)")
                .query("offset", Long.class, "the byte offset to read from (0)")
                .query("limit", Integer.class, "at most this many bytes, 1 to 16777216 (65536)")
                .query("stream", String.class, "stdout or stderr only; both interleaved when absent")
                .answersOther(200, "text/plain", "the local processes' output lines")
                .responseHeader("X-Next-Offset", "the offset to ask for next")
                .responseHeader("X-More", "true while more output may come"), this::output);
        routes.get("/api/v1/runs/{id}/output/download", Access.VIEWER, op("runs", "downloadRunOutput",
                "The run's whole process output as a file (run-ID.log)")
                .answersOther(200, "text/plain", "all output stored so far, both streams interleaved")
                .responseHeader("Content-Disposition", "attachment; filename=\"run-ID.log\"")
                .describe("What the console's download link saves: the pages of GET …/output from offset 0 to the "
                        + "end, in one response. A live run's file ends with what is stored when it is read."),
                this::download);
    }

    private static final Duration ENDED_TIMELINE_WAIT = Duration.ofSeconds(1);

    private void events(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        Caller caller = Caller.of(ctx);
        Map<String, Object> run = runs.findFor(caller, id);
        long after = after(ctx);
        String accept = ctx.header("Accept");
        // A client that accepts both (a generated client sends every media type the document lists) gets the page.
        if (accept != null && accept.contains("text/event-stream") && !accept.contains("application/json")) {
            try (StreamSlots.Slot ignored = slots.open(caller)) {
                stream.follow(ctx, id, after, caller);
            }
            return;
        }
        int limit = RunRoutes.intParam(ctx, "limit", PAGE, 1, 10_000);
        awaitEndedTimeline(id, run);
        List<RunEvent> page = store.events().page(id, after, limit);
        long next = page.isEmpty() ? after : page.getLast().seq();
        boolean ended = terminal(run) && next >= lastSeq(id, run);
        ctx.json(new EventPage(page.stream().map(EventRoutes::view).toList(), next, ended));
    }

    private void output(Context ctx) {
        String id = ctx.pathParam("id");
        Map<String, Object> run = runs.findFor(Caller.of(ctx), id);
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
     * The whole output, streamed from the store a page at a time, so a long log never sits in memory at once. A live
     * run's output ends where the store is when the read catches up (a page that brings nothing new).
     */
    private void download(Context ctx) throws java.io.IOException {
        String id = ctx.pathParam("id");
        Map<String, Object> run = runs.findFor(Caller.of(ctx), id);
        awaitEndedTimeline(id, run);
        ctx.contentType("text/plain;charset=utf-8");
        // Run ids are ULIDs; the name keeps only safe characters anyway, so it can never break out of its quotes.
        ctx.header("Content-Disposition", "attachment; filename=\"run-" + id.replaceAll("[^A-Za-z0-9._-]", "_") + ".log\"");
        java.io.OutputStream out = ctx.res().getOutputStream();
        long offset = 0;
        for (;;) {
            var chunk = store.events().output(id, offset, DOWNLOAD_PAGE);
            out.write(chunk.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (!chunk.more() || chunk.nextOffset() == offset) {
                break;
            }
            offset = chunk.nextOffset();
        }
        out.flush();
    }

    private static final int DOWNLOAD_PAGE = 1 << 20;

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

    static Event view(RunEvent e) {
        return new Event(e.seq(), e.kind(), java.time.Instant.ofEpochMilli(e.time()).toString(), e.data());
    }
}
