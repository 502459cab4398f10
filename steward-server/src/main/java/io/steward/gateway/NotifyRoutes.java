package io.steward.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.steward.coordinator.RunState;
import io.steward.gateway.wire.CreateNotification;
import io.steward.gateway.wire.Notification;
import io.steward.gateway.wire.NotificationDelivery;
import io.steward.gateway.wire.NotificationList;
import io.steward.gateway.wire.NotificationRemoved;
import io.steward.gateway.wire.NotificationShown;
import io.steward.store.Store;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.steward.gateway.Operation.op;

/** Notifications on run ends: a webhook to POST to or a stored script to run, and their delivery attempts. */
final class NotifyRoutes {
    private final Store store;
    private final ObjectMapper mapper;
    private final long maxBody;

    NotifyRoutes(Store store, ObjectMapper mapper, long maxBody) {
        this.store = store;
        this.mapper = mapper;
        this.maxBody = maxBody;
    }

    void register(RouteTable routes) {
        routes.post("/api/v1/notifications", Access.ADMIN, op("notifications", "createNotification",
                "Notify when runs end in given states: POST to a webhook or run a script")
                .describe("The payload (JSON body of the POST, or the script's args): notification, runId, script, "
                        + "version, state, result, error, node, invoker, createdAt, startedAt, endedAt, durationMs, "
                        + "link. Each delivery is tried up to 5 times, 1 s, 2 s, 4 s, 8 s apart.")
                .body(CreateNotification.class).answers(201, Notification.class).errors(404, 409), this::create);
        routes.get("/api/v1/notifications", Access.VIEWER, op("notifications", "listNotifications",
                "List the notifications").answers(200, NotificationList.class), this::list);
        routes.get("/api/v1/notifications/{name}", Access.VIEWER, op("notifications", "getNotification",
                "A notification and its latest delivery attempts")
                .query("limit", Integer.class, "how many of the latest attempts, 1 to 1000 (20)")
                .answers(200, NotificationShown.class), this::show);
        routes.delete("/api/v1/notifications/{name}", Access.ADMIN, op("notifications", "deleteNotification",
                "Remove a notification and its delivery record").answers(200, NotificationRemoved.class), this::remove);
    }

    private void create(Context ctx) {
        JsonBody body = JsonBody.read(ctx, mapper, maxBody, CreateNotification.class);
        Caller caller = Caller.of(ctx);
        Object states = body.required("states");
        Set<RunState> parsed = EnumSet.noneOf(RunState.class);
        if (states instanceof String text) {
            parsed.addAll(io.steward.store.Notification.parseStates(text));
        } else if (states instanceof List<?> list && !list.isEmpty()) {
            for (Object state : list) {
                if (!(state instanceof String text)) {
                    throw ApiError.badRequest("states must be state names such as [\"FAILED\", \"TIMED_OUT\"]");
                }
                parsed.addAll(io.steward.store.Notification.parseStates(text));
            }
        } else {
            throw ApiError.badRequest("states must be a non-empty list of state names such as [\"FAILED\", \"TIMED_OUT\"]");
        }
        var notification = new io.steward.store.Notification(body.string("name"), parsed, body.optionalString("script"),
                body.optionalString("webhook"), body.optionalString("runScript"), null, caller.name());
        // Both scripts must exist now (a 404 otherwise): a typo would make a notification that never fires.
        if (notification.script() != null) {
            store.scripts().latest(notification.script());
        }
        if (notification.runScript() != null) {
            store.scripts().latest(notification.runScript());
        }
        store.notifications().create(notification);
        store.audit().record(caller.name(), "notify-add", notification.name(), Map.of());
        ctx.status(201).json(Notification.of(store.notifications().get(notification.name()).orElseThrow().toMap()));
    }

    private void list(Context ctx) {
        ctx.json(new NotificationList(store.notifications().list().stream().map(n -> Notification.of(n.toMap())).toList()));
    }

    private void show(Context ctx) {
        String name = ctx.pathParam("name");
        var n = store.notifications().get(name).orElseThrow(() -> notFound(name));
        int limit = RunRoutes.intParam(ctx, "limit", 20, 1, 1000);
        ctx.json(new NotificationShown(Notification.of(n.toMap()), store.notifications().deliveries(name, limit).stream()
                .map(d -> NotificationDelivery.of(d.toMap())).toList()));
    }

    private void remove(Context ctx) {
        String name = ctx.pathParam("name");
        Caller caller = Caller.of(ctx);
        if (!store.notifications().delete(name)) {
            throw notFound(name);
        }
        store.audit().record(caller.name(), "notify-rm", name, Map.of());
        ctx.json(new NotificationRemoved(name, true));
    }

    private static ApiError notFound(String name) {
        return ApiError.notFound("no notification named '" + name + "': see `steward notify ls`");
    }
}
