package io.steward.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.steward.agent.CallbackExchange.Answer;
import io.steward.agent.CallbackExchange.Refusal;
import io.steward.coordinator.Coordinator;
import io.steward.coordinator.ProcessCallbacks;
import io.steward.coordinator.RunCallbacks;
import io.steward.coordinator.RunEndedException;
import io.steward.coordinator.RunNotFoundException;
import io.steward.coordinator.RunTokens;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.steward.agent.CallbackExchange.error;
import static io.steward.agent.CallbackExchange.required;
import static io.steward.agent.CallbackExchange.text;

/**
 * The agent's callback endpoint: where the local processes of the agent's runs call back into their run
 * ({@code steward status set} and friends), on 127.0.0.1 and a free port, which every such process finds in
 * {@code STEWARD_SERVER}.
 *
 * <p>The run executes in this agent's own engine, so the callback is applied right here, through
 * {@link ProcessCallbacks} as on the primary; the events it makes then travel like every other event of the run:
 * into the outbox and over the link, buffered on disk while the link is down. A process on an agent therefore
 * reports just as well when the primary is unreachable.
 *
 * <p>It serves run tokens only (it has no store of people's tokens), each for its own run: the routes of
 * {@code docs/api.md} under "Callbacks from local processes", and {@code GET /api/v1/runs/{id}} of the own run.
 * Starting a child run needs the primary: the request is forwarded over the link ({@link ChildRequests}) and
 * refused at once (503) while the link is down. The JDK's own HTTP server is enough for this loopback-only,
 * low-volume endpoint and keeps the agent free of a web framework.
 */
final class CallbackEndpoint implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CallbackEndpoint.class.getName());
    private static final Pattern ROUTE =
            Pattern.compile("/api/v1/runs/([^/]+)(?:/(status|events|progress|children|shared/([^/]+)))?");

    private final HttpServer server;
    private final RunTokens tokens;
    private final ChildRequests children;
    private volatile Coordinator coordinator;
    private volatile ProcessCallbacks callbacks;

    /** Binds a free port on 127.0.0.1; requests are answered once {@link #serve} has been given the coordinator. */
    CallbackEndpoint(ChildRequests children) throws IOException {
        this.children = children;
        this.tokens = new RunTokens(this::url);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
    }

    /** What the agent's coordinator gives each run: this endpoint's URL, the run id and a token it accepts. */
    RunCallbacks callbacks() {
        return tokens;
    }

    /** Starts answering for the runs of {@code coordinator}. */
    void serve(Coordinator coordinator) {
        this.coordinator = coordinator;
        this.callbacks = new ProcessCallbacks(coordinator);
        server.start();
    }

    /** The URL the processes call: {@code http://127.0.0.1:PORT}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange http) throws IOException {
        try (http) {
            CallbackExchange exchange = new CallbackExchange(http);
            Answer answer;
            try {
                answer = route(exchange);
            } catch (Refusal r) {
                answer = r.answer;
            } catch (RunNotFoundException e) {
                answer = error(404, "not_found", e.getMessage());
            } catch (RunEndedException e) {
                answer = error(409, "conflict", e.getMessage());
            } catch (IllegalArgumentException e) {
                answer = error(400, "bad_request", e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "callback " + exchange.path() + " failed", e);
                answer = error(500, "internal", "the agent failed on this callback (" + e.getClass().getSimpleName()
                        + "); its log has the details");
            }
            exchange.send(answer);
        }
    }

    private Answer route(CallbackExchange exchange) {
        Matcher m = ROUTE.matcher(exchange.path());
        if (!m.matches()) {
            throw new Refusal(error(404, "not_found", "no endpoint " + exchange.method() + " " + exchange.path()
                    + " here: this is an agent's callback endpoint, for the processes of its runs (steward status, "
                    + "steward shared, steward run)"));
        }
        String run = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        authorize(exchange.bearer(), run);
        String action = m.group(2) == null ? "" : m.group(3) != null ? "shared" : m.group(2);
        String expected = switch (action) {
            case "" -> "GET";
            case "shared" -> "PUT";
            default -> "POST";
        };
        if (!expected.equals(exchange.method())) {
            throw new Refusal(error(405, "method_not_allowed", exchange.method() + " is not allowed on " + exchange.path()));
        }
        return switch (action) {
            case "" -> new Answer(200, coordinator.snapshot(run).orElseThrow(() -> new RunNotFoundException(run)).toMap());
            case "status" -> {
                Map<String, Object> body = exchange.body(Set.of("name", "value"));
                yield done(run, callbacks.setStatus(run, text(body, "name"), required(body, "value")));
            }
            case "events" -> {
                Map<String, Object> body = exchange.body(Set.of("name", "data"));
                yield done(run, callbacks.event(run, text(body, "name"), body.get("data")));
            }
            case "progress" -> {
                Map<String, Object> body = exchange.body(Set.of("fraction", "message"));
                if (!(required(body, "fraction") instanceof Number fraction)) {
                    throw new IllegalArgumentException("the field 'fraction' must be a number from 0 to 1, such as 0.5");
                }
                String message = body.get("message") == null ? null : text(body, "message");
                yield done(run, callbacks.progress(run, fraction.doubleValue(), message));
            }
            case "shared" -> {
                String key = URLDecoder.decode(m.group(3), StandardCharsets.UTF_8);
                yield done(run, callbacks.putShared(run, key, required(exchange.body(Set.of("value")), "value")));
            }
            default -> child(exchange, run);
        };
    }

    /** A run token of a live run of this agent, for that run only. */
    private void authorize(String token, String run) {
        if (token == null) {
            throw new Refusal(error(401, "unauthorized", "this call needs the run's token: send 'Authorization: "
                    + "Bearer $STEWARD_TOKEN' (every process a run starts has it)"));
        }
        String owner = tokens.runOf(token).orElseThrow(() -> new Refusal(error(401, "unauthorized",
                "this run token is not valid (any more): a run token works only while the run that launched the "
                        + "process is running")));
        if (!owner.equals(run)) {
            throw new Refusal(error(403, "forbidden", "this run token belongs to run " + owner
                    + " and acts on that run only, not on run " + run));
        }
    }

    /** Asks the primary, over the link, to start a child of the run; its answer is this request's. */
    private Answer child(CallbackExchange exchange, String run) {
        Map<String, Object> body = exchange.body(Set.of("script", "version", "args", "timeout"));
        String script = text(body, "script");
        Integer version = body.get("version") instanceof Number n ? n.intValue() : null;
        @SuppressWarnings("unchecked")
        Map<String, Object> args = body.get("args") instanceof Map<?, ?> a ? (Map<String, Object>) a : Map.of();
        Long timeoutMs = body.get("timeout") == null ? null
                : CallbackExchange.duration(body.get("timeout"), "the field 'timeout'").toMillis();
        String waitText = exchange.query("wait");
        Duration wait = waitText == null ? null : CallbackExchange.duration(waitText, "wait");
        callbacks.checkLive(run);
        try {
            return new Answer(201, children.start(run, script, version, args, timeoutMs, wait));
        } catch (ChildRequests.Refused refused) {
            String code = switch (refused.status) {
                case 400 -> "bad_request";
                case 404 -> "not_found";
                case 409 -> "conflict";
                case 422 -> "refused";
                case 503 -> "unavailable";
                default -> "child_refused";
            };
            return error(refused.status, code, refused.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(503, "unavailable", "the agent is shutting down");
        }
    }

    private static Answer done(String run, long seq) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("run", run);
        body.put("seq", seq);
        return new Answer(200, body);
    }
}
