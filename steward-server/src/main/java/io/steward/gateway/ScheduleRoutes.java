package io.steward.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.steward.gateway.wire.CreateSchedule;
import io.steward.gateway.wire.Schedule;
import io.steward.gateway.wire.ScheduleList;
import io.steward.gateway.wire.ScheduleRemoved;
import io.steward.schedule.ScheduleSpec;
import io.steward.schedule.Scheduler;
import io.steward.store.ScheduleRecord;

import java.util.Map;
import java.util.Optional;

import static io.steward.gateway.Operation.op;

/**
 * Cron schedules over HTTP. Reading needs a viewer; adding, pausing, resuming and removing need an operator, who
 * may invoke scripts anyway (a schedule is an invoke deferred to its slots).
 */
final class ScheduleRoutes {
    private final Scheduler scheduler;
    private final ObjectMapper mapper;
    private final long maxBody;

    ScheduleRoutes(Scheduler scheduler, ObjectMapper mapper, long maxBody) {
        this.scheduler = scheduler;
        this.mapper = mapper;
        this.maxBody = maxBody;
    }

    void register(RouteTable routes) {
        routes.get("/api/v1/schedules", Access.VIEWER, op("schedules", "listSchedules",
                "List schedules with their next slot, runs started and slots missed").answers(200, ScheduleList.class),
                this::list);
        routes.post("/api/v1/schedules", Access.OPERATOR, op("schedules", "createSchedule",
                "Add a cron schedule that invokes a script at each slot").body(CreateSchedule.class)
                .answers(201, Schedule.class).responseHeader("Location", "the schedule's URL")
                .describe("A bad expression, one that never fires (30 February), an unknown zone or a bad name is a "
                        + "400; an unknown script a 404; a name that is taken a 409. Nothing is stored then.")
                .errors(404, 409), this::create);
        routes.get("/api/v1/schedules/{name}", Access.VIEWER, op("schedules", "getSchedule", "Show one schedule")
                .answers(200, Schedule.class), this::get);
        routes.post("/api/v1/schedules/{name}/pause", Access.OPERATOR, op("schedules", "pauseSchedule",
                "Pause a schedule: it neither fires nor counts missed slots").answers(200, Schedule.class), this::pause);
        routes.post("/api/v1/schedules/{name}/resume", Access.OPERATOR, op("schedules", "resumeSchedule",
                "Resume a paused schedule from its next slot after now").answers(200, Schedule.class), this::resume);
        routes.delete("/api/v1/schedules/{name}", Access.OPERATOR, op("schedules", "deleteSchedule",
                "Remove a schedule (its runs stay)").answers(200, ScheduleRemoved.class), this::delete);
    }

    private void list(Context ctx) {
        ctx.json(new ScheduleList(scheduler.list().stream().map(this::wire).toList()));
    }

    private void create(Context ctx) {
        JsonBody body = JsonBody.read(ctx, mapper, maxBody, CreateSchedule.class);
        Caller caller = Caller.of(ctx);
        ScheduleSpec spec = new ScheduleSpec(body.string("name"), body.string("cron"), body.optionalString("timeZone"),
                body.string("script"), body.optionalString("on"), body.optionalObject("args"),
                body.optionalDuration("grace"), body.optionalObject("secretArgs"));
        ScheduleRecord created = scheduler.add(spec, caller.name());
        ctx.status(201).header("Location", "/api/v1/schedules/" + created.name()).json(wire(created));
    }

    private void get(Context ctx) {
        ctx.json(wire(found(ctx, scheduler.get(ctx.pathParam("name")))));
    }

    private void pause(Context ctx) {
        ctx.json(wire(found(ctx, scheduler.pause(ctx.pathParam("name"), Caller.of(ctx).name()))));
    }

    private void resume(Context ctx) {
        ctx.json(wire(found(ctx, scheduler.resume(ctx.pathParam("name"), Caller.of(ctx).name()))));
    }

    private void delete(Context ctx) {
        String name = ctx.pathParam("name");
        if (!scheduler.remove(name, Caller.of(ctx).name())) {
            throw notFound(name);
        }
        ctx.json(new ScheduleRemoved(name, true));
    }

    private static ScheduleRecord found(Context ctx, Optional<ScheduleRecord> schedule) {
        return schedule.orElseThrow(() -> notFound(ctx.pathParam("name")));
    }

    private static ApiError notFound(String name) {
        return ApiError.notFound("no schedule named '" + name + "': see GET /api/v1/schedules (steward schedule ls)");
    }

    private Schedule wire(ScheduleRecord schedule) {
        Map<String, Object> map = schedule.toMap();
        map.put("secretArgs", scheduler.secretArgNames(schedule.name()));
        return Schedule.of(map);
    }
}
