package io.steward.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.steward.coordinator.Coordinator;
import io.steward.store.Store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The script store over HTTP. Script names are paths ({@code deploy/web.groovy}), so the name is the rest of the
 * URL; {@code …/history} is recognised by its suffix, which no script name can have (names end in an extension).
 * Pushing or deleting {@code _launcher.groovy} reloads the launcher.
 */
final class ScriptRoutes {
    private static final String LAUNCHER = "_launcher.groovy";
    private static final String HISTORY = "/history";

    private final Coordinator coordinator;
    private final Store store;
    private final ObjectMapper mapper;
    private final long maxBody;

    ScriptRoutes(Coordinator coordinator, Store store, ObjectMapper mapper, long maxBody) {
        this.coordinator = coordinator;
        this.store = store;
        this.mapper = mapper;
        this.maxBody = maxBody;
    }

    void register(RouteTable routes) {
        routes.post("/api/v1/scripts", Access.ADMIN, "Push a script version (identical content makes none)", this::push);
        routes.get("/api/v1/scripts", Access.VIEWER, "List scripts with language and latest version", this::list);
        routes.get("/api/v1/scripts/<name>", Access.VIEWER, "Show a script (?version=N for an older one)", this::show);
        routes.document("get", "/api/v1/scripts/{name}/history", Access.VIEWER, "Every version of a script");
        routes.delete("/api/v1/scripts/<name>", Access.ADMIN, "Delete a script (versions stay readable)", this::delete);
    }

    private void push(Context ctx) {
        JsonBody body = JsonBody.read(ctx, mapper, maxBody, Set.of("name", "source"));
        Caller caller = Caller.of(ctx);
        String name = body.string("name");
        var pushed = store.scripts().push(name, body.string("source"), caller.name());
        if (pushed.created()) {
            store.audit().record(caller.name(), "push", name, Map.of("version", pushed.version()));
            if (name.equals(LAUNCHER)) {
                coordinator.reloadLauncher();
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("name", name);
        answer.put("version", pushed.version());
        answer.put("sha256", pushed.script().sha256());
        answer.put("language", coordinator.engine().languageOf(name).id());
        answer.put("created", pushed.created());
        if (name.equals(LAUNCHER)) {
            answer.put("launcher", coordinator.launcherError().map(e -> (Object) Map.of("loaded", false, "error", e.toMap()))
                    .orElse(Map.of("loaded", true)));
        }
        ctx.status(pushed.created() ? 201 : 200).json(answer);
    }

    private void list(Context ctx) {
        ctx.json(Map.of("scripts", store.scripts().list().stream().map(s -> s.toMap()).toList()));
    }

    private void show(Context ctx) {
        String name = ctx.pathParam("name");
        if (name.endsWith(HISTORY)) {
            String script = name.substring(0, name.length() - HISTORY.length());
            ctx.json(Map.of("name", script, "versions", store.scripts().history(script).stream().map(s -> s.toMap()).toList()));
            return;
        }
        int version = RunRoutes.intParam(ctx, "version", 0, 1, Integer.MAX_VALUE);
        ctx.json((version == 0 ? store.scripts().latest(name) : store.scripts().version(name, version)).toMap());
    }

    private void delete(Context ctx) {
        String name = ctx.pathParam("name");
        Caller caller = Caller.of(ctx);
        store.scripts().delete(name, caller.name());
        store.audit().record(caller.name(), "delete", name, Map.of());
        if (name.equals(LAUNCHER)) {
            coordinator.reloadLauncher();
        }
        ctx.json(Map.of("name", name, "deleted", true));
    }
}
