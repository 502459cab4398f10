package io.steward.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.steward.coordinator.InvokeRequest;
import io.steward.coordinator.ProcessCallbacks;
import io.steward.coordinator.RunEndedException;
import io.steward.coordinator.RunHandle;
import io.steward.coordinator.RunNotFoundException;
import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import io.steward.gateway.wire.AddEvent;
import io.steward.gateway.wire.CallbackAccepted;
import io.steward.gateway.wire.PutShared;
import io.steward.gateway.wire.ReportProgress;
import io.steward.gateway.wire.Run;
import io.steward.gateway.wire.SetStatus;
import io.steward.gateway.wire.StartChild;
import io.steward.store.AuditLog;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static io.steward.gateway.Operation.op;

/**
 * The routes local processes call back into their run with ({@code steward status set|event|progress},
 * {@code steward shared put}, {@code steward run} as a child): each the HTTP form of a script's own call, applied
 * through {@link ProcessCallbacks}, so the run's events, snapshot and streams show it like the script's. A run token
 * reaches these for its own run; operators and admins for any live run of the primary.
 *
 * <p>A run on an agent is not served here: its processes call the agent, whose loopback endpoint applies the
 * callback to the run where it runs and sends the events over the link.
 */
final class CallbackRoutes {
    private static final Duration MAX_WAIT = Duration.ofHours(1);

    private final ProcessCallbacks callbacks;
    private final Function<String, Optional<Map<String, Object>>> runs;
    private final AuditLog audit;
    private final ObjectMapper mapper;
    private final long maxBody;

    /** @param runs finds a run's JSON wherever it is (memory, an agent, the store), to explain a refusal */
    CallbackRoutes(ProcessCallbacks callbacks, Function<String, Optional<Map<String, Object>>> runs, AuditLog audit,
                   ObjectMapper mapper, long maxBody) {
        this.callbacks = callbacks;
        this.audit = audit;
        this.runs = runs;
        this.mapper = mapper;
        this.maxBody = maxBody;
    }

    void register(RouteTable routes) {
        routes.post("/api/v1/runs/{id}/status", Access.CALLBACK, op("callbacks", "setRunStatus",
                "Set a status value of a live run ({\"name\", \"value\"}); run tokens: own run only")
                .body(SetStatus.class).answers(200, CallbackAccepted.class).errors(409), this::status);
        routes.post("/api/v1/runs/{id}/events", Access.CALLBACK, op("callbacks", "addRunEvent",
                "Add an event to a live run's timeline ({\"name\", \"data\"?}); run tokens: own run only")
                .body(AddEvent.class).answers(200, CallbackAccepted.class).errors(409), this::event);
        routes.post("/api/v1/runs/{id}/progress", Access.CALLBACK, op("callbacks", "reportRunProgress",
                "Report a live run's progress ({\"fraction\": 0..1, \"message\"?}); run tokens: own run only")
                .body(ReportProgress.class).answers(200, CallbackAccepted.class).errors(409), this::progress);
        routes.put("/api/v1/runs/{id}/shared/{key}", Access.CALLBACK, op("callbacks", "putRunShared",
                "Put a key of a live run's shared data ({\"value\"}); run tokens: own run only")
                .body(PutShared.class).answers(200, CallbackAccepted.class).errors(409), this::shared);
        routes.post("/api/v1/runs/{id}/children", Access.CALLBACK, op("callbacks", "startChildRun",
                "Start a child run of a live run ({\"script\", \"version\"?, \"args\"?, \"timeout\"?}; ?wait=DURATION)")
                .query("wait", String.class, "answer when the child ends or this long has passed (at most 1h)")
                .body(StartChild.class).answers(201, Run.class).responseHeader("Location", "the child run's URL")
                .errors(409, 422, 500, 503), this::child);
    }

    private void status(Context ctx) {
        JsonBody body = JsonBody.read(ctx, mapper, maxBody, SetStatus.class);
        String name = body.string("name");
        Object value = body.required("value");
        answer(ctx, id -> callbacks.setStatus(id, name, value));
    }

    private void event(Context ctx) {
        JsonBody body = JsonBody.read(ctx, mapper, maxBody, AddEvent.class);
        String name = body.string("name");
        Object data = body.optional("data");
        answer(ctx, id -> callbacks.event(id, name, data));
    }

    private void progress(Context ctx) {
        JsonBody body = JsonBody.read(ctx, mapper, maxBody, ReportProgress.class);
        if (!(body.required("fraction") instanceof Number fraction)) {
            throw ApiError.badRequest("the field 'fraction' must be a number from 0 to 1, such as 0.5");
        }
        String message = body.optionalString("message");
        answer(ctx, id -> callbacks.progress(id, fraction.doubleValue(), message));
    }

    private void shared(Context ctx) {
        String key = ctx.pathParam("key");
        Object value = JsonBody.read(ctx, mapper, maxBody, PutShared.class).required("value");
        answer(ctx, id -> callbacks.putShared(id, key, value));
    }

    private void child(Context ctx) throws InterruptedException {
        Duration wait = ctx.queryParam("wait") == null ? null : Durations.parse("wait", ctx.queryParam("wait"));
        if (wait != null && wait.compareTo(MAX_WAIT) > 0) {
            throw ApiError.badRequest("wait may be at most 1h");
        }
        JsonBody body = JsonBody.read(ctx, mapper, maxBody, StartChild.class);
        Caller caller = Caller.of(ctx);
        InvokeRequest request = new InvokeRequest(body.string("script"), body.optionalInt("version", 0),
                body.optionalObject("args"), body.optionalDuration("timeout"), caller.name());
        String parent = ctx.pathParam("id");
        RunHandle child;
        try {
            child = callbacks.startChild(parent, request);
        } catch (RunNotFoundException | RunEndedException e) {
            throw refusal(parent, e);
        }
        // Like every invoke (status values and events are not audited: they are the run's own timeline).
        audit.recordLater(caller.name(), "invoke", child.id(), Map.of("script", request.script(), "parent", parent));
        RunSnapshot answer = wait == null ? child.snapshot() : child.await(wait);
        ctx.status(201).header("Location", "/api/v1/runs/" + child.id()).json(Run.answer(answer.toMap()));
    }

    private interface Callback {
        long apply(String runId);
    }

    private void answer(Context ctx, Callback callback) {
        String id = ctx.pathParam("id");
        long seq;
        try {
            seq = callback.apply(id);
        } catch (RunNotFoundException | RunEndedException e) {
            throw refusal(id, e);
        }
        ctx.json(new CallbackAccepted(id, seq));
    }

    /** Why a run the coordinator does not hold live took no callback: unknown, ended, or on an agent. */
    private ApiError refusal(String id, RuntimeException e) {
        if (e instanceof RunEndedException) {
            return ApiError.conflict(e.getMessage());
        }
        Map<String, Object> run = runs.apply(id).orElseThrow(() -> RunRoutes.notFound(id));
        if (RunState.valueOf(String.valueOf(run.get("state"))).isTerminal()) {
            return ApiError.conflict("run " + id + " has already ended as " + run.get("state")
                    + ": callbacks reach running runs only");
        }
        return ApiError.conflict("run " + id + " runs on node " + run.get("node") + ": its own processes call back "
                + "through that agent; callbacks to agent runs through the primary are not supported yet");
    }
}
