package io.steward.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.steward.coordinator.Coordinator;
import io.steward.gateway.wire.Launcher;
import io.steward.gateway.wire.PushScript;
import io.steward.gateway.wire.Script;
import io.steward.gateway.wire.ScriptDeleted;
import io.steward.gateway.wire.ScriptHistory;
import io.steward.gateway.wire.ScriptList;
import io.steward.gateway.wire.ScriptPushed;
import io.steward.gateway.wire.ScriptVersion;
import io.steward.gateway.wire.Wire;
import io.steward.store.Store;

import java.util.Map;

import static io.steward.gateway.Operation.op;

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
    private final LimitChecks limits;

    ScriptRoutes(Coordinator coordinator, Store store, ObjectMapper mapper, long maxBody, LimitChecks limits) {
        this.limits = limits;
        this.coordinator = coordinator;
        this.store = store;
        this.mapper = mapper;
        this.maxBody = maxBody;
    }

    void register(RouteTable routes) {
        routes.post("/api/v1/scripts", Access.ADMIN, op("scripts", "pushScript",
                "Push a script version (identical content makes none)").body(PushScript.class)
                .answers(201, ScriptPushed.class).alsoAnswers(200)
                .describe("201 with a new version; 200 with the latest when the content is identical to it. The source "
                        + "is stored as it is, not compiled: a compile error is the 400 of the invoke that runs it, "
                        + "its details naming script, line and column. A source over the script size limit is a 413 "
                        + "`script_too_large`.").errors(413), this::push);
        routes.get("/api/v1/scripts", Access.VIEWER, op("scripts", "listScripts",
                "List scripts with language and latest version").answers(200, ScriptList.class), this::list);
        routes.get("/api/v1/scripts/<name>", Access.VIEWER, op("scripts", "getScript",
                "Show a script (?version=N for an older one)")
                .query("version", Integer.class, "a version number; the latest when absent")
                .answers(200, Script.class), this::show);
        routes.document("get", "/api/v1/scripts/<name>/history", Access.VIEWER, op("scripts", "getScriptHistory",
                "Every version of a script").answers(200, ScriptHistory.class));
        routes.delete("/api/v1/scripts/<name>", Access.ADMIN, op("scripts", "deleteScript",
                "Delete a script (versions stay readable)").answers(200, ScriptDeleted.class), this::delete);
    }

    private void push(Context ctx) {
        JsonBody body = JsonBody.read(ctx, mapper, maxBody, PushScript.class);
        Caller caller = Caller.of(ctx);
        String name = body.string("name");
        caller.scope().checkScript(caller, name);
        String source = body.string("source");
        limits.script(name, source);
        var pushed = store.scripts().push(name, source, caller.name());
        if (pushed.created()) {
            store.audit().record(caller.name(), "push", name, Map.of("version", pushed.version()));
            if (name.equals(LAUNCHER)) {
                coordinator.reloadLauncher();
            }
        }
        Launcher launcher = !name.equals(LAUNCHER) ? null : coordinator.launcherError()
                .map(e -> Wire.from(Map.of("loaded", false, "error", e.toMap()), Launcher.class))
                .orElse(new Launcher(true, null));
        ctx.status(pushed.created() ? 201 : 200).json(new ScriptPushed(name, pushed.version(), pushed.script().sha256(),
                coordinator.engine().languageOf(name).id(), pushed.created(), launcher));
    }

    private void list(Context ctx) {
        TokenScope scope = Caller.of(ctx).scope();
        ctx.json(new ScriptList(store.scripts().list().stream().filter(s -> scope.allowsScript(s.name()))
                .map(s -> ScriptVersion.of(s.toMap())).toList()));
    }

    private void show(Context ctx) {
        String name = ctx.pathParam("name");
        if (name.endsWith(HISTORY)) {
            String script = name.substring(0, name.length() - HISTORY.length());
            Caller.of(ctx).scope().checkScript(Caller.of(ctx), script);
            ctx.json(new ScriptHistory(script, store.scripts().history(script).stream().map(s -> ScriptVersion.of(s.toMap())).toList()));
            return;
        }
        Caller.of(ctx).scope().checkScript(Caller.of(ctx), name);
        int version = RunRoutes.intParam(ctx, "version", 0, 1, Integer.MAX_VALUE);
        ctx.json(Script.of((version == 0 ? store.scripts().latest(name) : store.scripts().version(name, version)).toMap()));
    }

    private void delete(Context ctx) {
        String name = ctx.pathParam("name");
        Caller caller = Caller.of(ctx);
        caller.scope().checkScript(caller, name);
        store.scripts().delete(name, caller.name());
        store.audit().record(caller.name(), "delete", name, Map.of());
        if (name.equals(LAUNCHER)) {
            coordinator.reloadLauncher();
        }
        ctx.json(new ScriptDeleted(name, true));
    }
}
