package io.steward.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.steward.gateway.wire.PolicyCleared;
import io.steward.gateway.wire.PutScriptPolicy;
import io.steward.gateway.wire.RetryChain;
import io.steward.gateway.wire.RetryRun;
import io.steward.gateway.wire.ScriptPolicy;
import io.steward.policy.Policies;
import io.steward.store.RetryAttempt;
import io.steward.store.Store;
import io.steward.store.WhenBusy;

import java.util.List;
import java.util.Map;

import static io.steward.gateway.Operation.op;

/**
 * Script policies ({@code /api/v1/scripts/{name}/policy}: a concurrency limit and default retries) and retry
 * chains ({@code /api/v1/runs/{id}/retries}). Script names are paths, so the policy routes are registered before
 * the script routes, whose {@code <name>} would otherwise take the {@code /policy} suffix as part of the name.
 */
final class PolicyRoutes {
    private final Policies policies;
    private final Store store;
    private final RunRoutes runs;
    private final ObjectMapper mapper;
    private final long maxBody;

    PolicyRoutes(Policies policies, Store store, RunRoutes runs, ObjectMapper mapper, long maxBody) {
        this.policies = policies;
        this.store = store;
        this.runs = runs;
        this.mapper = mapper;
        this.maxBody = maxBody;
    }

    void register(RouteTable routes) {
        routes.get("/api/v1/scripts/<name>/policy", Access.VIEWER, op("scripts", "getScriptPolicy",
                "A script's policy (concurrency limit, default retries) and its running and queued runs")
                .answers(200, ScriptPolicy.class), this::get);
        routes.put("/api/v1/scripts/<name>/policy", Access.ADMIN, op("scripts", "putScriptPolicy",
                "Set a script's policy: maxConcurrent, whenBusy (queue | reject), retry")
                .describe("Replaces the whole policy. Over its limit an invoke waits QUEUED for a slot (queue, first come "
                        + "first served) or is refused with a 429 (reject). The retry policy applies to invokes that "
                        + "name none.")
                .body(PutScriptPolicy.class).answers(200, ScriptPolicy.class), this::put);
        routes.delete("/api/v1/scripts/<name>/policy", Access.ADMIN, op("scripts", "clearScriptPolicy",
                "Clear a script's policy: no limit, no default retries").answers(200, PolicyCleared.class), this::clear);
        routes.get("/api/v1/runs/{id}/retries", Access.VIEWER, op("runs", "getRunRetries",
                "The chain of attempts a run with a retry policy started: each attempt's run and state")
                .answers(200, RetryChain.class), this::retries);
    }

    private void get(Context ctx) {
        String script = ctx.pathParam("name");
        store.scripts().latest(script);
        ctx.json(view(script));
    }

    private void put(Context ctx) {
        String script = ctx.pathParam("name");
        JsonBody body = JsonBody.read(ctx, mapper, maxBody, PutScriptPolicy.class);
        Caller caller = Caller.of(ctx);
        Integer max = body.optional("maxConcurrent") == null ? null : maxConcurrent(body.optional("maxConcurrent"));
        String whenBusyText = body.optionalString("whenBusy");
        WhenBusy whenBusy = whenBusyText == null ? WhenBusy.QUEUE : WhenBusy.parse(whenBusyText);
        var retry = RetrySpecs.read("retry", body.optional("retry"));
        // Checked after the body, so a bad body is a 400 whatever the name; before anything is stored.
        store.scripts().latest(script);
        policies.putScriptPolicy(new io.steward.store.ScriptPolicy(script, max, whenBusy, retry, null, caller.name()));
        store.audit().record(caller.name(), "policy-set", script, Map.of());
        ctx.json(view(script));
    }

    private static Integer maxConcurrent(Object value) {
        if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= 1
                && ((Number) value).longValue() <= io.steward.store.ScriptPolicy.MAX_CONCURRENT) {
            return ((Number) value).intValue();
        }
        throw ApiError.badRequest("maxConcurrent must be a whole number from 1 to "
                + io.steward.store.ScriptPolicy.MAX_CONCURRENT + ", not " + value
                + " (leave it out, or clear the policy, for no limit)");
    }

    private void clear(Context ctx) {
        String script = ctx.pathParam("name");
        Caller caller = Caller.of(ctx);
        boolean cleared = policies.clearScriptPolicy(script);
        if (!cleared) {
            // No policy: a 404 only when the script itself is unknown, so that clearing twice is not an error.
            store.scripts().latest(script);
        }
        store.audit().record(caller.name(), "policy-clear", script, Map.of());
        ctx.json(new PolicyCleared(script, cleared));
    }

    private ScriptPolicy view(String script) {
        int[] slots = policies.slots(script);
        return policies.scriptPolicy(script)
                .map(p -> new ScriptPolicy(script, p.maxConcurrent(), p.whenBusy().key(),
                        p.retry() == null ? null : io.steward.gateway.wire.RetryPolicy.of(p.retry().toMap()),
                        slots[0], slots[1], p.updatedAt() == null ? null : p.updatedAt().toString(), p.updatedBy()))
                .orElse(new ScriptPolicy(script, null, WhenBusy.QUEUE.key(), null, slots[0], slots[1], null, null));
    }

    private void retries(Context ctx) {
        String id = ctx.pathParam("id");
        Map<String, Object> run = runs.find(id).orElseThrow(() -> RunRoutes.notFound(id));
        // The chain is the first run's; asked of a later attempt, answer its chain all the same.
        String first = policies.attemptOf(id).map(RetryAttempt::of).orElse(id);
        var chain = policies.chain(first).orElseThrow(() -> ApiError.notFound("run " + run.get("id")
                + " has no retries: it was invoked without a retry policy"));
        List<RetryRun> attempts = policies.attempts(first).stream().map(a -> new RetryRun(a.runId(), a.attempt(),
                runs.find(a.runId()).map(r -> io.steward.coordinator.RunState.valueOf((String) r.get("state")))
                        .orElse(null))).toList();
        ctx.json(new RetryChain(first, chain.policy().attempts(), chain.state().name(),
                chain.dueAt() == null ? null : chain.dueAt().toString(), attempts));
    }
}
