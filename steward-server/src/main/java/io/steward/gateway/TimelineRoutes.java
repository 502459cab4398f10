package io.steward.gateway;

import io.javalin.http.Context;
import io.steward.gateway.wire.RunTimeline;
import io.steward.gateway.wire.TimelineLane;
import io.steward.gateway.wire.TimelineMark;
import io.steward.store.RunTimelines;
import io.steward.store.Store;

import java.time.Instant;
import java.util.Map;

import static io.steward.gateway.Operation.op;

/**
 * A run's timeline summary for the console's Gantt chart: lanes of threads and processes and marks of status,
 * events and progress, computed by the store from the durable events, so that the browser does not read (and a
 * 1,000-thread run does not send) the whole event list.
 */
final class TimelineRoutes {
    private static final int LANES = 2_000;
    private static final int MARKS = 1_000;

    private final Store store;
    private final RunRoutes runs;

    TimelineRoutes(Store store, RunRoutes runs) {
        this.store = store;
        this.runs = runs;
    }

    void register(RouteTable routes) {
        routes.get("/api/v1/runs/{id}/timeline", Access.VIEWER, op("runs", "getRunTimeline",
                "The run's timeline: a lane per script thread and local process, marks of status, events and progress")
                .query("lanes", Integer.class, "at most this many lanes, the first started, 1 to "
                        + RunTimelines.MAX_LANES + " (" + LANES + ")")
                .query("marks", Integer.class, "at most this many marks, the latest, 0 to "
                        + RunTimelines.MAX_MARKS + " (" + MARKS + ")")
                .answers(200, RunTimeline.class)
                .describe("Computed from the run's stored events: a live run's timeline holds what is durable "
                        + "(up to `throughSeq`); follow the event stream after that sequence number for the rest."),
                this::timeline);
    }

    private void timeline(Context ctx) {
        String id = ctx.pathParam("id");
        Map<String, Object> run = runs.findFor(Caller.of(ctx), id);
        int lanes = RunRoutes.intParam(ctx, "lanes", LANES, 1, RunTimelines.MAX_LANES);
        int marks = RunRoutes.intParam(ctx, "marks", MARKS, 0, RunTimelines.MAX_MARKS);
        RunTimelines.Timeline t = store.timelines().timeline(id, lanes, marks);
        ctx.json(new RunTimeline(id, (String) run.get("state"), time(t.start()), time(t.end()),
                t.lanes().stream().map(l -> new TimelineLane(l.kind(), l.id(), l.name(), l.parent(), time(l.start()),
                        time(l.end()), l.outcome(), l.detail())).toList(),
                t.lanesTotal(),
                t.marks().stream().map(m -> new TimelineMark(m.seq(), m.kind(), time(m.time()), m.data())).toList(),
                t.marksTotal(), t.throughSeq()));
    }

    private static String time(Long epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis).toString();
    }
}
