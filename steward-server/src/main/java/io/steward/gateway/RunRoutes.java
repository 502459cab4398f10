package io.steward.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.steward.coordinator.Coordinator;
import io.steward.coordinator.InvokeRequest;
import io.steward.coordinator.RunEndedException;
import io.steward.coordinator.RunHandle;
import io.steward.coordinator.RunNotFoundException;
import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import io.steward.engine.JsonValues;
import io.steward.gateway.wire.InvokeRun;
import io.steward.gateway.wire.MessageAccepted;
import io.steward.gateway.wire.Run;
import io.steward.gateway.wire.RunMessage;
import io.steward.gateway.wire.RunPage;
import io.steward.nodes.NodeOfflineException;
import io.steward.nodes.NodeServices;
import io.steward.nodes.RemoteMessages;
import io.steward.policy.Policies;
import io.steward.policy.ScriptBusyException;
import io.steward.store.Store;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.steward.gateway.Operation.op;

/**
 * Invoke, list, poll, cancel and message runs. A run still in memory is answered from the coordinator (live threads,
 * processes, the latest status); a finished one the coordinator has let go is answered from the store. A message to
 * a run on an agent is answered only once the agent has confirmed or refused it.
 */
final class RunRoutes {
    private static final Duration MAX_WAIT = Duration.ofHours(1);

    private final Coordinator coordinator;
    private final Store store;
    private final NodeServices nodes;
    private final Policies policies;
    private final ObjectMapper mapper;
    private final long maxBody;
    private final LimitChecks limits;
    private final RunsElsewhere elsewhere;
    private final InvokesElsewhere invokesElsewhere;

    /** @param leaseTtl how long another primary counts as alive after its last beat (the cluster's lease TTL) */
    RunRoutes(Coordinator coordinator, Store store, NodeServices nodes, Policies policies, ObjectMapper mapper, long maxBody,
              LimitChecks limits, java.util.function.Supplier<Duration> leaseTtl) {
        this.limits = limits;
        this.elsewhere = new RunsElsewhere(store);
        this.invokesElsewhere = new InvokesElsewhere(store, mapper, leaseTtl);
        this.coordinator = coordinator;
        this.store = store;
        this.nodes = nodes;
        this.policies = policies;
        this.mapper = mapper;
        this.maxBody = maxBody;
    }

    void register(RouteTable routes) {
        routes.post("/api/v1/runs", Access.OPERATOR, op("runs", "invokeRun",
                "Invoke a script; ?wait=DURATION answers when the run ends")
                .query("wait", String.class, "answer when the run ends or this long has passed (30s, 5m; at most 1h)")
                .body(InvokeRun.class).answers(201, Run.class)
                .responseHeader("Location", "the run's URL")
                .responseHeader("X-Steward-Primary", "only when another primary ran the invoke (its agents): that primary's id")
                .describe("With `on`, the run is a parent whose children run the script on each selected node. "
                        + "A script that does not exist is a 404; one that does not compile a 400. With a retry policy "
                        + "(`retry`, or the script's), `wait` answers when the last attempt has ended, with that "
                        + "attempt's run (Location stays the first run's). Over the script's concurrency limit the run "
                        + "waits QUEUED, or the invoke is a 429 when the script's policy rejects. Args over the args "
                        + "size limit are a 413 `args_too_large`, and no run exists. Among several primaries, an `on` "
                        + "that matches only agents linked to one other primary is handed to it (its answer carries "
                        + "`X-Steward-Primary`), and a primary that cannot be reached is a 502 `primary_unreachable`; "
                        + "an `on` that matches agents here and elsewhere, or of several primaries, runs here as one "
                        + "fan-out whose children for other primaries' agents are started by those primaries.")
                .errors(404, 409, 413, 422, 429, 500, 502, 503), this::invoke);
        routes.get("/api/v1/runs", Access.VIEWER, op("runs", "listRuns",
                "List runs (state, script, node, since, limit, cursor), newest first")
                .query("state", String.class, "only runs in this state (queued, running, succeeded, failed, cancelled, "
                        + "timed_out, lost)")
                .query("script", String.class, "only runs of this script")
                .query("node", String.class, "only runs on this node")
                .query("since", String.class, "only runs created at or after this ISO-8601 instant")
                .query("limit", Integer.class, "at most this many, 1 to 1000 (50)")
                .query("cursor", String.class, "the `next` of the previous page")
                .answers(200, RunPage.class), this::list);
        routes.get("/api/v1/runs/{id}", Access.VIEWER, op("runs", "getRun",
                "Poll one run: state, shared data, status, threads, processes, result").answers(200, Run.class), this::get);
        routes.post("/api/v1/runs/{id}/cancel", Access.OPERATOR, op("runs", "cancelRun", "Cancel a live run")
                .answers(200, Run.class).errors(409, 503), this::cancel);
        routes.post("/api/v1/runs/{id}/messages", Access.OPERATOR, op("runs", "sendRunMessage",
                "Send a message ({\"message\": any JSON value}) to a running run's inbox").body(RunMessage.class)
                .answers(202, MessageAccepted.class).errors(409, 503), this::message);
    }

    private void invoke(Context ctx) throws InterruptedException {
        Duration wait = ctx.queryParam("wait") == null ? null : Durations.parse("wait", ctx.queryParam("wait"));
        if (wait != null && wait.compareTo(MAX_WAIT) > 0) {
            throw ApiError.badRequest("wait may be at most 1h");
        }
        JsonBody body = JsonBody.read(ctx, mapper, maxBody, InvokeRun.class);
        Caller caller = Caller.of(ctx);
        limits.args(body.optional("args"));
        InvokeRequest request = new InvokeRequest(body.string("script"), body.optionalInt("version", 0),
                body.optionalObject("args"), body.optionalDuration("timeout"), caller.name())
                // Answered at the end: the run starts at once and its record is stored with its end, in one commit.
                .withAnsweredAtEnd(wait != null);
        caller.scope().checkScript(caller, request.script());
        // Before anything is written (its sealed secrets are the first thing): a nearly full disk refuses new runs.
        store.checkRoomForNewRun();
        request = io.steward.secrets.SecretArgs.attach(request, body.optionalObject("secretArgs"), store.secrets());
        String on = body.optionalString("on");
        if (on == null && caller.scope().nodes() != null) {
            caller.scope().checkNode(caller, nodes.nodes().primaryName(), nodes.nodes().selectable().get(nodes.nodes().primaryName()));
        }
        if (on != null) {
            boolean allowEmpty = body.optionalBoolean("allowEmpty");
            // Checked now, so that a bad selector or an empty match is a 400 and no run exists.
            // None linked here but all to one other primary of the cluster: that one runs it, as if asked itself.
            InvokeRequest accepted = request;
            if (store.sharedByPrimaries() && noneHere(on) && invokesElsewhere.forward(ctx, on, body, wait,
                    () -> io.steward.secrets.SecretArgs.forget(accepted, store.secrets()))) {
                return;
            }
            List<String> targets;
            try {
                // Here, and (on a primary among others) the agents of every other primary: one fan-out.
                targets = nodes.fleet().select(on, allowEmpty);
            } catch (IllegalArgumentException bad) {
                io.steward.secrets.SecretArgs.forget(request, store.secrets());
                throw bad;
            }
            if (caller.scope().nodes() != null) {
                on = withinNodeScope(caller, on, targets);
            }
            Map<String, Object> fanOut = new LinkedHashMap<>();
            fanOut.put("on", on);
            fanOut.put(io.steward.nodes.PrimaryFleet.CHOSEN_NODES, targets);
            fanOut.put("parallel", (long) body.optionalInt("parallel", 0));
            fanOut.put("failFast", body.optionalBoolean("failFast"));
            fanOut.put("allowEmpty", allowEmpty);
            if (request.timeout() != null) {
                fanOut.put("timeout", request.timeout().toMillis());
            }
            request = request.withFanOut(fanOut);
        }
        io.steward.store.RetryPolicy retry = RetrySpecs.read("retry", body.optional("retry"));
        Policies.Invoked invoked;
        try {
            invoked = policies.invoke(request, retry, wait != null);
        } catch (ScriptBusyException busy) {
            io.steward.secrets.SecretArgs.forget(request, store.secrets());
            throw new ApiError(429, "script_busy", busy.getMessage(),
                    Map.of("script", busy.script(), "maxConcurrent", busy.limit(), "running", busy.running()));
        } catch (RuntimeException | InterruptedException refused) {
            // Nothing was accepted, so nothing of it stays: not even its sealed secrets.
            io.steward.secrets.SecretArgs.forget(request, store.secrets());
            throw refused;
        }
        RunHandle handle = invoked.handle();
        // Invokes are the hot path: their audit entry rides with the event writer's next group commit.
        store.audit().recordLater(caller.name(), "invoke", handle.id(), Map.of("script", request.script()));
        RunSnapshot answer = wait == null ? handle.snapshot() : awaitFinal(invoked, wait);
        if (wait != null) {
            store.writer().awaitRecorded(handle.id()); // a 201 names only runs a crash cannot take back
        }
        ctx.status(201).header("Location", "/api/v1/runs/" + handle.id()).json(Run.answer(withRetry(answer.toMap())));
    }

    /** Whether the selector picks no node of this primary's own (a label no node here has included). */
    private boolean noneHere(String on) {
        try {
            return nodes.fleet().selectHere(on, true).isEmpty();
        } catch (IllegalArgumentException noLabelHere) {
            return true;
        }
    }

    /**
     * A node-scoped token's fan-out: every node the selector picks now must be within the token's selector, and the
     * fan-out then names exactly those nodes, so that a node that joins before the children start is not added.
     */
    private String withinNodeScope(Caller caller, String on, List<String> targets) {
        if (targets.isEmpty()) {
            throw ApiError.forbidden("the token '" + caller.name() + "' may only invoke runs on nodes matching '"
                    + caller.scope().nodes().text() + "'; the selector '" + on + "' matches no node now");
        }
        Map<String, Map<String, String>> selectable = nodes.fleet().reachable();
        for (String target : targets) {
            caller.scope().checkNode(caller, target, selectable.get(target));
        }
        return String.join(",", targets);
    }

    /** The run's end, or with retries the last attempt's; what there is now when {@code wait} passes first. */
    private RunSnapshot awaitFinal(Policies.Invoked invoked, Duration wait) throws InterruptedException {
        if (invoked.finalOutcome() == null) {
            return invoked.handle().await(wait);
        }
        try {
            RunSnapshot last = invoked.finalOutcome().get(wait.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            return last != null ? last : invoked.handle().snapshot();
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            policies.forget(invoked);
            return invoked.handle().snapshot();
        }
    }

    /**
     * Adds {@code retry: {of, attempt, attempts}} to a run that is an attempt of a retry chain. Only runs whose args
     * have {@code retry} (where every attempt learns its number) can be, so other runs cost no lookup.
     */
    Map<String, Object> withRetry(Map<String, Object> run) {
        if (run.get("args") instanceof Map<?, ?> args && args.containsKey("retry")) {
            policies.attemptOf((String) run.get("id")).ifPresent(a -> run.put("retry", a.toMap()));
        }
        return run;
    }

    private void get(Context ctx) {
        ctx.json(Run.answer(findFor(Caller.of(ctx), ctx.pathParam("id"))));
    }

    private void cancel(Context ctx) {
        String id = ctx.pathParam("id");
        Caller caller = Caller.of(ctx);
        if (!caller.scope().unscoped()) {
            findFor(caller, id);
        }
        if (!coordinator.cancel(id, "by " + caller.name()) && !cancelOnAgent(id, "by " + caller.name())) {
            Map<String, Object> run = find(id).orElseThrow(() -> notFound(id));
            elsewhere.check(id, "cancel");
            throw ApiError.conflict("run " + id + " has already ended as " + run.get("state") + ": nothing to cancel");
        }
        store.audit().recordLater(caller.name(), "cancel", id, Map.of());
        ctx.json(Run.answer(find(id).orElseThrow(() -> notFound(id))));
    }

    private boolean cancelOnAgent(String id, String reason) {
        try {
            return nodes.remote().cancel(id, reason);
        } catch (NodeOfflineException e) {
            throw ApiError.unavailable("node_offline", e.getMessage());
        }
    }

    private void message(Context ctx) throws InterruptedException {
        String id = ctx.pathParam("id");
        Caller caller = Caller.of(ctx);
        if (!caller.scope().unscoped()) {
            findFor(caller, id);
        }
        Object message = JsonBody.read(ctx, mapper, maxBody, RunMessage.class).required("message");
        long seq;
        try {
            seq = coordinator.send(id, message);
        } catch (RunEndedException ended) {
            throw ApiError.conflict(ended.getMessage());
        } catch (RunNotFoundException notHere) {
            elsewhere.check(id, "message");
            seq = messageToAgent(id, find(id).orElseThrow(() -> notFound(id)), message);
        }
        store.audit().recordLater(caller.name(), "message", id, Map.of("seq", seq));
        ctx.status(202).json(new MessageAccepted(true, seq));
    }

    /** A run the coordinator does not hold: one on an agent gets the message over its link, if it still runs. */
    private long messageToAgent(String id, Map<String, Object> run, Object message) throws InterruptedException {
        String node = String.valueOf(run.get("node"));
        RunState state = RunState.valueOf(String.valueOf(run.get("state")));
        // LOST on an agent means "not heard of", not "over": the agent may still be running it.
        boolean mayRun = !state.isTerminal() || state == RunState.LOST;
        if (node.equals(nodes.nodes().primaryName()) || !mayRun) {
            throw ApiError.conflict("run " + id + " has already ended as " + state + ": messages go to running runs only");
        }
        return switch (nodes.messages().send(id, node, JsonValues.copy("the message", message))) {
            case RemoteMessages.Delivered delivered -> delivered.seq();
            case RemoteMessages.Refused refused -> throw ApiError.conflict(refused.message());
            case RemoteMessages.Unreachable unreachable -> throw ApiError.unavailable("node_offline", unreachable.message());
        };
    }

    private void list(Context ctx) {
        RunState state = null;
        if (ctx.queryParam("state") != null) {
            try {
                state = RunState.valueOf(ctx.queryParam("state").toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("unknown state '" + ctx.queryParam("state") + "': use one of "
                        + java.util.Arrays.toString(RunState.values()));
            }
        }
        Instant since = null;
        if (ctx.queryParam("since") != null) {
            try {
                since = Instant.parse(ctx.queryParam("since"));
            } catch (DateTimeParseException e) {
                throw ApiError.badRequest("since must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
            }
        }
        int limit = intParam(ctx, "limit", 50, 1, 1000);
        String cursor = ctx.queryParam("cursor");
        // The store is written behind the runs (group commit): live runs it may not have yet come from memory.
        String node = ctx.queryParam("node");
        var page = store.runs().list(new io.steward.store.RunQuery(state, ctx.queryParam("script"), since, limit, cursor, node));
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        for (RunSnapshot live : coordinator.runs()) {
            if (matches(live, state, ctx.queryParam("script"), since, cursor) && (node == null || node.equals(live.node()))) {
                byId.put(live.id(), live.toMap());
            }
        }
        for (var stored : page.runs()) {
            byId.putIfAbsent(stored.id(), stored.toMap());
        }
        List<Map<String, Object>> runs = new ArrayList<>(byId.values());
        runs.sort(Comparator.comparing((Map<String, Object> r) -> (String) r.get("id")).reversed());
        if (runs.size() > limit) {
            runs = runs.subList(0, limit);
        }
        String next = runs.size() == limit ? (String) runs.getLast().get("id") : null;
        // A script-scoped token sees its scripts' runs only; the cursor still walks every run, so a page may hold
        // fewer than limit and the next one more.
        TokenScope scope = Caller.of(ctx).scope();
        if (scope.scripts() != null) {
            runs = runs.stream().filter(r -> scope.allowsScript((String) r.get("script"))).toList();
        }
        ctx.json(new RunPage(runs.stream().map(r -> Run.of(withRetry(new LinkedHashMap<>(r)))).toList(), next));
    }

    private static boolean matches(RunSnapshot run, RunState state, String script, Instant since, String cursor) {
        return (state == null || run.state() == state)
                && (script == null || run.script().equals(script))
                && (since == null || !run.createdAt().isBefore(since))
                && (cursor == null || run.id().compareTo(cursor) < 0);
    }

    /** The run's JSON for {@code caller}: a 404 when there is none, a 403 when its script is outside their scope. */
    Map<String, Object> findFor(Caller caller, String id) {
        Map<String, Object> run = find(id).orElseThrow(() -> notFound(id));
        caller.scope().checkScript(caller, (String) run.get("script"));
        return run;
    }

    /**
     * Whether this primary holds the run live: its coordinator runs it, or an agent linked here does. Its events are
     * then written by this primary's event writer; any other run's, if any come, by another primary's.
     */
    boolean heldHere(String id) {
        return coordinator.handle(id).isPresent() || nodes.remote().snapshot(id).isPresent();
    }

    /** The run's JSON, from memory or the store. */
    Optional<Map<String, Object>> find(String id) {
        Optional<RunSnapshot> live = coordinator.snapshot(id);
        if (live.isPresent()) {
            return Optional.of(withRetry(live.get().toMap()));
        }
        Optional<Map<String, Object>> remote = nodes.remote().snapshot(id);
        if (remote.isPresent()) {
            return remote;
        }
        // A run the coordinator has let go: the store's record, with its children (a fan-out's parent) looked up.
        return store.runs().get(id).map(r -> withRetry(r.snapshot(store.runs().children(id).stream().map(c -> c.asChild()).toList()).toMap()));
    }

    static ApiError notFound(String id) {
        return ApiError.notFound("no run with id '" + id + "'");
    }

    static int intParam(Context ctx, String name, int otherwise, int min, int max) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiError.badRequest(name + " must be a whole number from " + min + " to " + max + ", not '" + text + "'");
    }
}
