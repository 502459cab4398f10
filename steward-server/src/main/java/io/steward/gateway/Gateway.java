package io.steward.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.steward.coordinator.Coordinator;
import io.steward.coordinator.ProcessCallbacks;
import io.steward.coordinator.RunTokens;
import io.steward.metrics.ServerMetrics;
import io.steward.nodes.NodeServices;
import io.steward.policy.Policies;
import io.steward.store.Store;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The HTTP face of a primary: builds the Javalin server with every route of docs/api.md, authentication on each,
 * and JSON errors for everything that goes wrong. Requests run on virtual threads, so a blocking call (an invoke
 * that waits, an event stream) costs no platform thread.
 */
public final class Gateway implements AutoCloseable {
    private final Javalin app;
    private final FrameCacheSweeper sweeper;
    private final ChangeFeed changes = new ChangeFeed();
    private final OpenStreams openStreams;
    private final List<Runnable> stopListening;

    /**
     * @param runTokens the tokens of this node's runs, for the callbacks of their local processes
     * @param policies  retries, concurrency limits and notifications, which invokes pass through
     * @param cluster   this primary among the others on its database, whose timings GET /api/v1/cluster shows
     * @param metrics   served at /metrics; counts limit refusals and HTTP requests
     */
    public Gateway(GatewayConfig config, Coordinator coordinator, Store store, NodeServices nodes, RunTokens runTokens,
                   Policies policies, io.steward.coordination.Coordination coordination,
                   io.steward.schedule.Scheduler scheduler, io.steward.cluster.Cluster cluster, ServerMetrics metrics) {
        ObjectMapper mapper = new ObjectMapper();
        Authenticator auth = new Authenticator(store.tokens(), runTokens);
        this.openStreams = new OpenStreams(store.tokens());
        EventFrameCache frames = new EventFrameCache(EventFrameCache.DEFAULT_BUDGET, EventFrameCache.DEFAULT_IDLE,
                Clock.systemUTC());
        this.sweeper = new FrameCacheSweeper(frames, Duration.ofSeconds(10));
        this.stopListening = List.of(store.writer().onCommit(changes::runsChanged),
                store.nodes().onChange(changes::nodeChanged), store.tail().listen(changes.otherPrimaries()));
        this.app = Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true;
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = config.maxBody();
            cfg.jsonMapper(new JavalinJackson(mapper, true));
            cfg.jetty.host = config.bind();
            cfg.jetty.port = config.port();
            if (config.tls() != null) {
                TlsConnector.add(cfg, config); // HTTPS only: the plain connector is not made then
            }
            ErrorResponses.register(cfg, metrics);
            cfg.requestLogger.http((ctx, ms) -> metrics.request(ctx.method().name(), route(ctx), ctx.statusCode(),
                    (long) (ms * 1_000_000)));
            // The web console ships inside the jar; its files are public (the API calls it makes carry the token).
            cfg.staticFiles.add(sf -> {
                sf.hostedPath = "/";
                sf.directory = "/web";
                sf.location = io.javalin.http.staticfiles.Location.CLASSPATH;
                sf.roles = java.util.Set.of(Access.PUBLIC);
            });
            cfg.routes.beforeMatched(auth::check);
            cfg.routes.after(ctx -> UnreadBodies.drain(ctx, config.maxBody()));
            nodes.link().register(cfg);
            RouteTable routes = new RouteTable(cfg);
            routes.document("get", io.steward.nodes.AgentLink.PATH, Access.AGENT, Operation.op("agents", "agentLink",
                    "The agent link: a WebSocket an agent keeps open to its primary")
                    .describe("Not for clients: agents register their node info, take run requests, push events and "
                            + "answer status polls over it. docs/agent-protocol.md describes its messages.")
                    .answersOther(101, null, null));
            LimitChecks limits = new LimitChecks(config.limits(), metrics);
            StreamSlots streams = new StreamSlots(config.limits().streamsPerToken(), metrics);
            RunRoutes runs = new RunRoutes(coordinator, store, nodes, policies, mapper, config.maxBody(), limits,
                    () -> cluster.settings().ttl());
            new ServerRoutes(coordinator, store, nodes.nodes(), routes).register(routes);
            // Before the script routes, whose <name> would take a script's /policy suffix for part of its name.
            new PolicyRoutes(policies, store, runs, mapper, config.maxBody()).register(routes);
            new ScriptRoutes(coordinator, store, mapper, config.maxBody(), limits).register(routes);
            runs.register(routes);
            new EventRoutes(store, runs, mapper, frames, openStreams, streams).register(routes);
            new TimelineRoutes(store, runs).register(routes);
            new ChangeRoutes(changes, runs, nodes.nodes(), mapper, openStreams, streams).register(routes);
            new MetricsRoutes(metrics).register(routes);
            new CallbackRoutes(new ProcessCallbacks(coordinator), runs::find, store.audit(), mapper,
                    config.maxBody()).register(routes);
            new AdminRoutes(store, mapper, config.maxBody()).register(routes);
            new CoordinationRoutes(coordination, store.audit(), mapper, config.maxBody()).register(routes);
            new ScheduleRoutes(scheduler, mapper, config.maxBody()).register(routes);
            new NotifyRoutes(store, mapper, config.maxBody()).register(routes);
            new StatsRoutes(store.statistics(), Clock.systemUTC()).register(routes);
            new ClusterRoutes(store, cluster.settings()).register(routes);
        });
    }

    /** The route's path template, so that the request meter has one series per route, not per run id. */
    private static String route(io.javalin.http.Context ctx) {
        try {
            // The route's own endpoint: ctx.endpoint() is the last handler run, the after-handler's "*" by now.
            io.javalin.router.Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
            return matched == null ? "unmatched" : matched.path;
        } catch (RuntimeException noEndpoint) {
            return "unmatched"; // the console's static files, 404s
        }
    }

    public Gateway start() {
        app.start();
        return this;
    }

    /** The port it listens on (the chosen one when configured with 0). */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        stopListening.forEach(Runnable::run);
        changes.close();
        openStreams.close();
        app.stop();
        sweeper.close();
    }
}
