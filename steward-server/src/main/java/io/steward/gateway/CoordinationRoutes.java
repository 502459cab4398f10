package io.steward.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.steward.coordination.Coordination;
import io.steward.coordination.Journal;
import io.steward.coordination.Owner;
import io.steward.coordination.Vars;
import io.steward.gateway.wire.EventAction;
import io.steward.gateway.wire.EventState;
import io.steward.gateway.wire.LockList;
import io.steward.gateway.wire.MessageQueued;
import io.steward.gateway.wire.MessageTaken;
import io.steward.gateway.wire.Pool;
import io.steward.gateway.wire.PoolList;
import io.steward.gateway.wire.PutPoolEntry;
import io.steward.gateway.wire.QueueList;
import io.steward.gateway.wire.QueueMessage;
import io.steward.gateway.wire.SetVar;
import io.steward.gateway.wire.Var;
import io.steward.gateway.wire.VarDeleted;
import io.steward.gateway.wire.VarList;
import io.steward.gateway.wire.Wire;
import io.steward.store.AuditLog;

import java.time.Duration;
import java.util.Map;

import static io.steward.gateway.Operation.op;

/**
 * Variables, locks and events, queues and pools for clients (io.steward.coordination): what scripts reach as
 * {@code vars}, {@code lock}, {@code event}, {@code queue} and {@code pool}, to read and, for operators, to change.
 */
final class CoordinationRoutes {
    private static final Duration MAX_WAIT = Duration.ofMinutes(5);

    private final Coordination coordination;
    private final AuditLog audit;
    private final ObjectMapper mapper;
    private final long maxBody;

    CoordinationRoutes(Coordination coordination, AuditLog audit, ObjectMapper mapper, long maxBody) {
        this.coordination = coordination;
        this.audit = audit;
        this.mapper = mapper;
        this.maxBody = maxBody;
    }

    void register(RouteTable routes) {
        routes.get("/api/v1/coordination", Access.VIEWER, op("coordination", "coordination",
                "Every lock, event, queue and pool in use, with holders, waiters and depths")
                .answers(200, io.steward.gateway.wire.Coordination.class), this::all);
        routes.get("/api/v1/vars", Access.VIEWER, op("coordination", "listVars", "The live variables")
                .query("scope", String.class, "global or node:NAME (all scopes)")
                .answers(200, VarList.class), this::listVars);
        routes.get("/api/v1/vars/{scope}/{name}", Access.VIEWER, op("coordination", "getVar", "One variable")
                .answers(200, Var.class).errors(404), this::getVar);
        routes.put("/api/v1/vars/{scope}/{name}", Access.OPERATOR, op("coordination", "setVar",
                "Set a variable; with ifVersion only if its version is that (compare-and-set)").body(SetVar.class)
                .answers(200, Var.class).errors(409), this::setVar);
        routes.delete("/api/v1/vars/{scope}/{name}", Access.OPERATOR, op("coordination", "deleteVar", "Remove a variable")
                .answers(200, VarDeleted.class).errors(404), this::deleteVar);
        routes.get("/api/v1/locks", Access.VIEWER, op("coordination", "listLocks",
                "Mutexes and semaphores in use, and event semaphores posted or waited for")
                .answers(200, LockList.class), this::listLocks);
        routes.post("/api/v1/events/{name}", Access.OPERATOR, op("coordination", "signalEvent",
                "Post, reset or pulse an event semaphore").body(EventAction.class)
                .answers(200, EventState.class), this::signal);
        routes.get("/api/v1/queues", Access.VIEWER, op("coordination", "listQueues", "Queues with messages or takers")
                .answers(200, QueueList.class), this::listQueues);
        routes.post("/api/v1/queues/{name}/messages", Access.OPERATOR, op("coordination", "putMessage",
                "Put a message at the end of a queue").body(QueueMessage.class)
                .answers(201, MessageQueued.class), this::put);
        routes.post("/api/v1/queues/{name}/take", Access.OPERATOR, op("coordination", "takeMessage",
                "Take the next message of a queue, waiting up to ?wait= (0: only if one is there)")
                .query("wait", String.class, "how long to wait for a message: 0, 30s, 5m (at most 5m; 0)")
                .answers(200, MessageTaken.class), this::take);
        routes.get("/api/v1/pools", Access.VIEWER, op("coordination", "listPools", "Resource pools")
                .answers(200, PoolList.class), this::listPools);
        routes.get("/api/v1/pools/{name}", Access.VIEWER, op("coordination", "getPool",
                "A pool's entries, holders and waiters").answers(200, Pool.class).errors(404), this::getPool);
        routes.put("/api/v1/pools/{name}/entries/{entry}", Access.OPERATOR, op("coordination", "putPoolEntry",
                "Add an entry to a pool (creating the pool), or change its value").body(PutPoolEntry.class)
                .answers(200, Pool.class), this::putEntry);
        routes.delete("/api/v1/pools/{name}/entries/{entry}", Access.OPERATOR, op("coordination", "deletePoolEntry",
                "Remove an entry from a pool; a held entry leaves when released")
                .answers(200, Pool.class).errors(404), this::deleteEntry);
    }

    private void all(Context ctx) {
        ctx.json(Wire.from(coordination.view(), io.steward.gateway.wire.Coordination.class));
    }

    private void listVars(Context ctx) {
        ctx.json(new VarList(coordination.vars(ctx.queryParam("scope")).stream()
                .map(v -> Var.of(Vars.view(v))).toList()));
    }

    private void getVar(Context ctx) {
        Journal.StoredVar v = coordination.getVar(ctx.pathParam("scope"), ctx.pathParam("name"));
        if (v == null) {
            throw ApiError.notFound("no variable '" + ctx.pathParam("name") + "' in scope " + ctx.pathParam("scope"));
        }
        ctx.json(Var.of(Vars.view(v)));
    }

    private void setVar(Context ctx) {
        String scope = ctx.pathParam("scope");
        String name = ctx.pathParam("name");
        JsonBody body = JsonBody.read(ctx, mapper, maxBody, SetVar.class);
        Object value = body.required("value");
        Duration ttl = body.optionalDuration("ttl");
        long ttlMs = ttl == null ? 0 : ttl.toMillis();
        Object ifVersion = body.optional("ifVersion");
        Journal.StoredVar set;
        if (ifVersion == null) {
            set = coordination.putVar(scope, name, value, ttlMs);
        } else {
            if (!(ifVersion instanceof Integer || ifVersion instanceof Long) || ((Number) ifVersion).longValue() < 0) {
                throw ApiError.badRequest("the field 'ifVersion' must be a whole number of 0 or more, not " + ifVersion);
            }
            long version = ((Number) ifVersion).longValue();
            set = coordination.setVarIfVersion(scope, name, version, value, ttlMs);
            if (set == null) {
                Journal.StoredVar now = coordination.getVar(scope, name);
                throw ApiError.conflict("variable '" + name + "' is at version " + (now == null ? "0 (absent)" : now.version())
                        + ", not " + version + ": read it again and retry with its version");
            }
        }
        audit.recordLater(Caller.of(ctx).name(), "var-set", scope + "/" + name, Map.of("version", set.version()));
        ctx.json(Var.of(Vars.view(set)));
    }

    private void deleteVar(Context ctx) {
        String scope = ctx.pathParam("scope");
        String name = ctx.pathParam("name");
        if (!coordination.removeVar(scope, name)) {
            throw ApiError.notFound("no variable '" + name + "' in scope " + scope);
        }
        audit.recordLater(Caller.of(ctx).name(), "var-delete", scope + "/" + name, Map.of());
        ctx.json(new VarDeleted(scope, name, true));
    }

    private void listLocks(Context ctx) {
        Map<String, Object> view = coordination.view();
        ctx.json(Wire.from(Map.of("locks", view.get("locks"), "events", view.get("events")), LockList.class));
    }

    private void signal(Context ctx) {
        String name = ctx.pathParam("name");
        String action = JsonBody.read(ctx, mapper, maxBody, EventAction.class).string("action");
        switch (action) {
            case "post" -> coordination.post(name);
            case "reset" -> coordination.reset(name);
            case "pulse" -> coordination.pulse(name);
            default -> throw ApiError.badRequest("unknown action '" + action + "': use post, reset or pulse");
        }
        audit.recordLater(Caller.of(ctx).name(), "event-" + action, name, Map.of());
        ctx.json(eventState(name));
    }

    private EventState eventState(String name) {
        for (Map<String, Object> e : list(coordination.view().get("events"))) {
            if (name.equals(e.get("name"))) {
                return Wire.from(e, EventState.class);
            }
        }
        return new EventState(name, false, java.util.List.of());
    }

    private void listQueues(Context ctx) {
        ctx.json(Wire.from(Map.of("queues", coordination.view().get("queues")), QueueList.class));
    }

    private void put(Context ctx) {
        String queue = ctx.pathParam("name");
        Object message = JsonBody.read(ctx, mapper, maxBody, QueueMessage.class).required("message");
        long id = coordination.put(queue, message);
        ctx.status(201).json(new MessageQueued(queue, id));
    }

    private void take(Context ctx) throws InterruptedException {
        String queue = ctx.pathParam("name");
        Duration wait = ctx.queryParam("wait") == null || "0".equals(ctx.queryParam("wait")) ? Duration.ZERO
                : Durations.parse("wait", ctx.queryParam("wait"));
        if (wait.compareTo(MAX_WAIT) > 0) {
            throw ApiError.badRequest("wait may be at most 5m");
        }
        Journal.StoredMessage m = coordination.take(queue, Owner.client(Caller.of(ctx).name()), wait.toMillis());
        ctx.json(new MessageTaken(queue, m != null, m == null ? null : m.value()));
    }

    private void listPools(Context ctx) {
        ctx.json(Wire.from(Map.of("pools", coordination.view().get("pools")), PoolList.class));
    }

    private void getPool(Context ctx) {
        ctx.json(pool(ctx.pathParam("name")));
    }

    private Pool pool(String name) {
        Map<String, Object> view = coordination.poolView(name);
        if (view == null) {
            throw ApiError.notFound("there is no pool '" + name + "': add an entry to create it");
        }
        return Pool.of(view);
    }

    private void putEntry(Context ctx) {
        String pool = ctx.pathParam("name");
        String entry = ctx.pathParam("entry");
        Object value = JsonBody.read(ctx, mapper, maxBody, PutPoolEntry.class).optional("value");
        coordination.addPoolEntry(pool, entry, value);
        audit.recordLater(Caller.of(ctx).name(), "pool-add", pool + "/" + entry, Map.of());
        ctx.json(pool(pool));
    }

    private void deleteEntry(Context ctx) {
        String pool = ctx.pathParam("name");
        String entry = ctx.pathParam("entry");
        if (!coordination.removePoolEntry(pool, entry)) {
            throw ApiError.notFound("pool '" + pool + "' has no entry '" + entry + "'");
        }
        audit.recordLater(Caller.of(ctx).name(), "pool-remove", pool + "/" + entry, Map.of());
        Map<String, Object> view = coordination.poolView(pool);
        ctx.json(view == null ? new Pool(pool, java.util.List.of(), 0, java.util.List.of()) : Pool.of(view));
    }

    @SuppressWarnings("unchecked")
    private static java.util.List<Map<String, Object>> list(Object views) {
        return views == null ? java.util.List.of() : (java.util.List<Map<String, Object>>) views;
    }
}
