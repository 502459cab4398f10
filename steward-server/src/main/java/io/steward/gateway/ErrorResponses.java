package io.steward.gateway;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.steward.coordinator.EventTooLargeException;
import io.steward.coordinator.InvokeRefusedException;
import io.steward.metrics.ServerMetrics;
import io.steward.coordinator.LauncherFailedException;
import io.steward.coordinator.LauncherUnavailableException;
import io.steward.coordinator.RunNotFoundException;
import io.steward.engine.ScriptCompileException;
import io.steward.engine.ScriptNotFoundException;

import io.steward.gateway.wire.ErrorResponse;
import io.steward.store.StoreConflictException;
import io.steward.store.StoreException;

/**
 * Turns every failure into the API's JSON error with the fitting status. Known exceptions of the coordinator and
 * engine map to 4xx/503 with their own messages; anything unexpected is logged with its stack trace and answered
 * as a 500 that names no internals.
 */
final class ErrorResponses {
    private static final System.Logger LOG = System.getLogger(ErrorResponses.class.getName());

    private ErrorResponses() {
    }

    static void register(JavalinConfig config, ServerMetrics metrics) {
        config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
        config.routes.exception(ApiError.class, (e, ctx) -> {
            if (e.code.equals("payload_too_large")) {
                metrics.refused(ServerMetrics.REQUEST_BYTES); // the other limits count where they refuse
            }
            send(ctx, e.status, e.code, e.getMessage(), e.details);
        });
        config.routes.exception(EventTooLargeException.class, (e, ctx) -> send(ctx, 413, "event_too_large",
                e.getMessage(), Refusal.details(ServerMetrics.EVENT_BYTES, e.limit(), e.size())));
        config.routes.exception(IllegalArgumentException.class, (e, ctx) -> send(ctx, 400, "bad_request", e.getMessage(), null));
        config.routes.exception(ScriptNotFoundException.class, (e, ctx) -> send(ctx, 404, "not_found", e.getMessage(), null));
        config.routes.exception(RunNotFoundException.class, (e, ctx) -> send(ctx, 404, "not_found", e.getMessage(), null));
        config.routes.exception(ScriptCompileException.class, (e, ctx) -> send(ctx, 400, "bad_request",
                "the script does not compile: " + e.error(), e.error().toMap()));
        config.routes.exception(StoreConflictException.class, (e, ctx) -> send(ctx, 409, "conflict", e.getMessage(), null));
        config.routes.exception(InvokeRefusedException.class, (e, ctx) -> send(ctx, 422, "refused", e.getMessage(), null));
        config.routes.exception(LauncherFailedException.class, (e, ctx) -> send(ctx, 500, "launcher_failed",
                e.getMessage(), e.error().toMap()));
        config.routes.exception(io.steward.store.SecretsUnavailableException.class, (e, ctx) -> send(ctx, 503,
                "secrets_unavailable", e.getMessage(), null));
        config.routes.exception(LauncherUnavailableException.class, (e, ctx) -> {
            // Claim 28: a launcher that failed to load ends the connection that asked for a run.
            ctx.header("Connection", "close");
            send(ctx, 503, "launcher_unavailable", e.getMessage(), null);
        });
        config.routes.exception(StoreException.class, (e, ctx) -> {
            // Not the client's fault and not a bug: the database is unreachable, stalled or its disk is full. The
            // request changed nothing it can see; retrying later may succeed (the full-disk and stalled-database drills).
            LOG.log(System.Logger.Level.WARNING, "store failed on " + ctx.method() + " " + ctx.path() + ": " + e.getMessage());
            send(ctx, 503, "store_unavailable", "the store cannot be written or read now (" + StoreFailures.reason(e)
                    + "); nothing was changed: try again later", null);
        });
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.log(System.Logger.Level.ERROR, "unexpected error on " + ctx.method() + " " + ctx.path(), e);
            send(ctx, 500, "internal", "the server failed on this request (" + e.getClass().getSimpleName()
                    + "); the server log has the details", null);
        });
        config.routes.error(404, ctx -> {
            // Our own 404s are JSON already; Javalin's "no such route" answer is plain text.
            String type = ctx.res().getContentType();
            if (type == null || !type.contains("json")) {
                send(ctx, 404, "not_found", "no endpoint " + ctx.method() + " " + ctx.path()
                        + ": see /api/v1/openapi.json", null);
            }
        });
        config.routes.error(405, ctx -> send(ctx, 405, "method_not_allowed",
                ctx.method() + " is not allowed on " + ctx.path(), null));
    }

    static void send(Context ctx, int status, String code, String message, Object details) {
        ctx.status(status).json(new ErrorResponse(code, message == null ? code : message, details));
    }
}
