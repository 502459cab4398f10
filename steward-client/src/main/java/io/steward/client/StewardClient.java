package io.steward.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A client of one Steward server's HTTP API (docs/api.md): one method per endpoint, answering the server's JSON as
 * plain maps and lists (so a caller, or the CLI's {@code --json}, sees exactly what the server said), with small
 * records only where the answer is more than JSON: event pages, the live event stream and process output.
 *
 * <p>Thread-safe; one instance keeps its connections alive between calls, so make one per server and share it.
 * Every failure is a {@link StewardApiException}. {@link #close()} ends the connections and fails calls in flight.
 *
 * <pre>{@code
 * try (StewardClient steward = StewardClient.connect("http://127.0.0.1:7640", token)) {
 *     Map<String, Object> run = steward.invoke("deploy/web.groovy", null, Map.of("hosts", 3), null, null);
 *     Map<String, Object> end = steward.follow((String) run.get("id"), 0, e -> System.out.println(e.kind()));
 * }
 * }</pre>
 */
public final class StewardClient implements AutoCloseable {
    private static final String API = "/api/v1";

    private final Transport transport;
    private final Follower follower;

    private StewardClient(Transport transport, Reconnect reconnect) {
        this.transport = transport;
        this.follower = new Follower(this, transport, reconnect);
    }

    /**
     * A client of the server at {@code url} ({@code http://host:port}; a bare {@code host:port} means http), calling
     * with {@code token} (null for none: only {@link #health()} works then). Connects lazily, on the first call.
     */
    public static StewardClient connect(String url, String token) {
        return new StewardClient(new Transport(normalise(url), token), Reconnect.DEFAULT);
    }

    /**
     * A client of an {@code https:} server whose certificate {@code tls} trusts (e.g.
     * {@code io.steward.tls.TlsContexts.client(caFile)}); null for the JDK's default trust.
     */
    public static StewardClient connect(String url, String token, javax.net.ssl.SSLContext tls) {
        return new StewardClient(new Transport(normalise(url), token, tls), Reconnect.DEFAULT);
    }

    /** For tests that must not wait out the default back-off. */
    static StewardClient connect(String url, String token, Reconnect reconnect) {
        return new StewardClient(new Transport(normalise(url), token), reconnect);
    }

    static String normalise(String url) {
        String u = url == null ? "" : url.strip();
        if (!u.contains("://")) {
            u = "http://" + u;
        }
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        try {
            URI uri = new URI(u);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getQuery() == null && uri.getFragment() == null) {
                return u;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below with the usual form
        }
        throw new IllegalArgumentException("'" + url + "' is not a Steward server URL: expected e.g. http://127.0.0.1:7640");
    }

    /** The server's base URL, as calls use it. Never shows the token. */
    public String url() {
        return transport.base();
    }

    /** Whether an event stream was opened (only streams need the costlier {@code HttpClient}; see Transport). */
    boolean streaming() {
        return transport.streaming();
    }

    @Override
    public String toString() {
        return "StewardClient[" + url() + "]";
    }

    // --- health and server

    /** {@code {status, version}}; needs no token. */
    public Map<String, Object> health() {
        return get("/health", null);
    }

    /** The primary's node info, run counts and launcher state. */
    public Map<String, Object> server() {
        return get(API + "/server", null);
    }

    /** The primaries sharing the database and the lease holders: {@code {self, ttlMs, primaries, leases}}. */
    public Map<String, Object> cluster() {
        return get(API + "/cluster", null);
    }

    /** Every node: {@code {name, state, labels, lastSeen, info}}. */
    public List<Map<String, Object>> nodes() {
        return list(get(API + "/nodes", null), "nodes");
    }

    public Map<String, Object> node(String name) {
        return get(API + "/nodes/" + Transport.segment(name), null);
    }

    /** Lets a pending agent run things (admin). */
    public Map<String, Object> approveNode(String name) {
        return call("POST", API + "/nodes/" + Transport.segment(name) + "/approve", null, null, Transport.REQUEST_TIMEOUT);
    }

    /** Revokes an agent: its credential dies and its link closes (admin). */
    public Map<String, Object> revokeNode(String name) {
        return call("POST", API + "/nodes/" + Transport.segment(name) + "/revoke", null, null, Transport.REQUEST_TIMEOUT);
    }

    /** {@code {name, role}} of this client's token. */
    public Map<String, Object> whoami() {
        return get(API + "/whoami", null);
    }

    // --- scripts

    /** Stores {@code source} as the next version of {@code name}: {@code {name, version, sha256, language, created}}. */
    public Map<String, Object> pushScript(String name, String source) {
        return call("POST", API + "/scripts", null, ordered("name", name, "source", source), Transport.REQUEST_TIMEOUT);
    }

    /** The latest version of every script: {@code {name, language, version, sha256, author, createdAt}}. */
    public List<Map<String, Object>> scripts() {
        return list(get(API + "/scripts", null), "scripts");
    }

    /** One version of a script with its source; {@code version} null for the latest. */
    public Map<String, Object> script(String name, Integer version) {
        return get(API + "/scripts/" + Transport.scriptPath(name), ordered("version", version));
    }

    /** Every version of a script: {@code {version, sha256, author, createdAt}}. */
    public List<Map<String, Object>> history(String name) {
        return list(get(API + "/scripts/" + Transport.scriptPath(name) + "/history", null), "versions");
    }

    /** Deletes a script (its versions stay readable): {@code {name, deleted}}. */
    public Map<String, Object> deleteScript(String name) {
        return call("DELETE", API + "/scripts/" + Transport.scriptPath(name), null, null, Transport.REQUEST_TIMEOUT);
    }

    // --- runs

    /**
     * Asks the server to run a script and answers the run's JSON. Null means the default for each of
     * {@code version} (the latest), {@code args} (none), {@code timeout} (none) and {@code wait}. With a
     * {@code wait} the answer comes when the run ends or the wait (at most 1h) expires, whichever is first.
     */
    public Map<String, Object> invoke(String script, Integer version, Map<String, ?> args, Duration timeout, Duration wait) {
        return invoke(script, version, args, timeout, wait, null);
    }

    /**
     * Invokes, and with {@code fanOut} ({@code on}: a node selector; {@code parallel}, {@code failFast},
     * {@code allowEmpty}) runs the script on every selected node as children of one parent run.
     */
    public Map<String, Object> invoke(String script, Integer version, Map<String, ?> args, Duration timeout, Duration wait,
                                      Map<String, ?> fanOut) {
        Map<String, Object> body = ordered("script", script, "version", version, "args", args,
                "timeout", timeout == null ? null : Durations.format(timeout));
        if (fanOut != null) {
            fanOut.forEach((k, v) -> {
                if (v != null) {
                    body.put(k, v);
                }
            });
        }
        Duration requestTimeout = wait == null ? Transport.REQUEST_TIMEOUT : Transport.REQUEST_TIMEOUT.plus(wait);
        return call("POST", API + "/runs", ordered("wait", wait == null ? null : Durations.format(wait)), body, requestTimeout);
    }

    /** {@link #invoke(String, Integer, Map, Duration, Duration)} of the latest version, without timeout or wait. */
    public Map<String, Object> invoke(String script, Map<String, ?> args) {
        return invoke(script, null, args, null, null);
    }

    /** A page of runs, newest first; pass {@link RunPage#next()} as the cursor of the query for the next page. */
    public RunPage runs(RunQuery query) {
        RunQuery q = query == null ? RunQuery.all() : query;
        Map<String, Object> page = get(API + "/runs", ordered("state", q.state(), "script", q.script(),
                "since", q.since(), "limit", q.limit(), "cursor", q.cursor()));
        Object next = page.get("next");
        return new RunPage(list(page, "runs"), next == null ? null : next.toString());
    }

    /** The run now (the poll): state, shared data, status values and progress, threads, processes, result or error. */
    public Map<String, Object> run(String id) {
        return get(API + "/runs/" + Transport.segment(id), null);
    }

    /** Asks a run to stop and answers the run; a run that has already ended is a 409 {@code conflict}. */
    public Map<String, Object> cancel(String id) {
        return call("POST", API + "/runs/" + Transport.segment(id) + "/cancel", null, null, Transport.REQUEST_TIMEOUT);
    }

    /**
     * Sends a message (any JSON-compatible value) to a running run's inbox; answers {@code delivered} and the
     * {@code seq} of its {@code message} event. A run that has ended is a 409 {@code conflict}; a run on an agent
     * that cannot be reached now is a 503 {@code node_offline}.
     */
    public Map<String, Object> send(String id, Object message) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("message", message);
        return call("POST", API + "/runs/" + Transport.segment(id) + "/messages", null, body, Transport.REQUEST_TIMEOUT);
    }

    /** The events after sequence number {@code after} (0 for all), at most {@code limit} (null: the server's page size). */
    public EventPage events(String id, long after, Integer limit) {
        Map<String, Object> page = get(API + "/runs/" + Transport.segment(id) + "/events", ordered("after", after, "limit", limit));
        List<Event> events = list(page, "events").stream().map(Event::of).toList();
        long next = page.get("next") instanceof Number n ? n.longValue() : after;
        return new EventPage(events, next, Boolean.TRUE.equals(page.get("ended")));
    }

    /**
     * Follows a run live: hands every event after {@code afterSeq} to {@code consumer}, in order and once each,
     * until the run's final {@code state} event, then answers the run as it ended. A dropped connection is resumed
     * where it broke (with {@code Last-Event-ID}); the call fails only when the server stays unreachable (about 15 s),
     * answers an error, or the consumer throws. Blocks the calling thread: give it a virtual thread if it has better
     * things to do.
     */
    public Map<String, Object> follow(String id, long afterSeq, Consumer<? super Event> consumer) {
        return follower.follow(id, afterSeq, consumer);
    }

    /**
     * Process output of a run from byte {@code offset}: at most {@code limit} bytes (null: the server's default),
     * of {@code stream} ({@code stdout}, {@code stderr}, or null for the server's default). When the bytes end inside
     * a UTF-8 character, the text stops before it and {@link Output#nextOffset()} points at it, so reading on from
     * there never garbles a character.
     */
    public Output output(String id, long offset, Integer limit, String stream) {
        Transport.Answer response = transport.bytes(API + "/runs/" + Transport.segment(id) + "/output",
                ordered("offset", offset, "limit", limit, "stream", stream), "text/plain");
        byte[] bytes = response.body();
        long next = response.header("X-Next-Offset").map(Long::parseLong).orElse(offset + bytes.length);
        boolean more = response.header("X-More").map(Boolean::parseBoolean).orElse(false);
        int whole = Utf8.completePrefix(bytes);
        if (whole > 0 && whole < bytes.length) {
            next -= bytes.length - whole;
            bytes = Arrays.copyOf(bytes, whole);
        }
        return new Output(new String(bytes, StandardCharsets.UTF_8), next, more);
    }

    // --- callbacks: what a run's local processes do to their run (with its STEWARD_TOKEN, or an operator's token)

    /** Sets a status value (any JSON-compatible value, null included) of a running run: {@code {run, seq}}. */
    public Map<String, Object> setStatus(String runId, String name, Object value) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("value", value);
        return call("POST", API + "/runs/" + Transport.segment(runId) + "/status", null, body, Transport.REQUEST_TIMEOUT);
    }

    /** Adds an event ({@code data} may be null) to a running run's timeline: {@code {run, seq}}. */
    public Map<String, Object> statusEvent(String runId, String name, Object data) {
        return call("POST", API + "/runs/" + Transport.segment(runId) + "/events", null, ordered("name", name, "data", data),
                Transport.REQUEST_TIMEOUT);
    }

    /** Reports a running run's progress, a fraction from 0 to 1, with an optional message: {@code {run, seq}}. */
    public Map<String, Object> progress(String runId, double fraction, String message) {
        return call("POST", API + "/runs/" + Transport.segment(runId) + "/progress", null,
                ordered("fraction", fraction, "message", message), Transport.REQUEST_TIMEOUT);
    }

    /** Puts a key of a running run's shared data: {@code {run, seq}}. */
    public Map<String, Object> putShared(String runId, String key, Object value) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", value);
        return call("PUT", API + "/runs/" + Transport.segment(runId) + "/shared/" + Transport.segment(key), null, body,
                Transport.REQUEST_TIMEOUT);
    }

    /**
     * Starts a child run of a running run (its parent) and answers the child's JSON; null means the default, as for
     * {@link #invoke(String, Integer, Map, Duration, Duration)}.
     */
    public Map<String, Object> startChild(String parentId, String script, Integer version, Map<String, ?> args,
                                          Duration timeout, Duration wait) {
        Map<String, Object> body = ordered("script", script, "version", version, "args", args,
                "timeout", timeout == null ? null : Durations.format(timeout));
        Duration requestTimeout = wait == null ? Transport.REQUEST_TIMEOUT : Transport.REQUEST_TIMEOUT.plus(wait);
        return call("POST", API + "/runs/" + Transport.segment(parentId) + "/children",
                ordered("wait", wait == null ? null : Durations.format(wait)), body, requestTimeout);
    }

    // --- retries, script policies and notifications

    /** The chain of attempts a run with a retry policy started: {@code of, attempts, state, dueAt, runs}. */
    public Map<String, Object> retries(String runId) {
        return get(API + "/runs/" + Transport.segment(runId) + "/retries", null);
    }

    /** A script's policy: {@code script, maxConcurrent, whenBusy, retry, running, queued, updatedAt, updatedBy}. */
    public Map<String, Object> scriptPolicy(String script) {
        return get(API + "/scripts/" + Transport.scriptPath(script) + "/policy", null);
    }

    /** Replaces a script's policy with {@code maxConcurrent, whenBusy, retry} (null ones are left unset). */
    public Map<String, Object> putScriptPolicy(String script, Map<String, ?> policy) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        policy.forEach((k, v) -> {
            if (v != null) {
                body.put(k, v);
            }
        });
        return call("PUT", API + "/scripts/" + Transport.scriptPath(script) + "/policy", null, body, Transport.REQUEST_TIMEOUT);
    }

    /** Clears a script's policy: {@code script, cleared}. */
    public Map<String, Object> clearScriptPolicy(String script) {
        return call("DELETE", API + "/scripts/" + Transport.scriptPath(script) + "/policy", null, null, Transport.REQUEST_TIMEOUT);
    }

    /** Every notification: {@code name, states, script, webhook, runScript, createdAt, createdBy}. */
    public List<Map<String, Object>> notifications() {
        return list(get(API + "/notifications", null), "notifications");
    }

    /** Adds a notification: {@code name, states, script, webhook | runScript}. */
    public Map<String, Object> addNotification(String name, List<String> states, String script, String webhook,
                                               String runScript) {
        return call("POST", API + "/notifications", null, ordered("name", name, "states", states, "script", script,
                "webhook", webhook, "runScript", runScript), Transport.REQUEST_TIMEOUT);
    }

    /** A notification and its latest delivery attempts: {@code notification, deliveries}. */
    public Map<String, Object> notification(String name, Integer limit) {
        return get(API + "/notifications/" + Transport.segment(name), ordered("limit", limit));
    }

    public Map<String, Object> removeNotification(String name) {
        return call("DELETE", API + "/notifications/" + Transport.segment(name), null, null, Transport.REQUEST_TIMEOUT);
    }

    // --- tokens and audit

    /** A new token: {@code {name, role, token}}; the token is shown only this once. */
    public Map<String, Object> createToken(String name, String role) {
        return createToken(name, role, null, null, null);
    }

    /**
     * A new token limited in time and scope: {@code {name, role, token, expiresAt, scripts, nodes}}.
     *
     * @param expires a duration from now ({@code 7d}, {@code 12h}, {@code P7D}) or an ISO-8601 instant; null for never
     * @param scripts a glob of the script names it may use ({@code deploy/*}); null for all
     * @param nodes   a node selector of the nodes it may invoke runs on ({@code env=lab}); null for all
     */
    public Map<String, Object> createToken(String name, String role, String expires, String scripts, String nodes) {
        return call("POST", API + "/tokens", null, ordered("name", name, "role", role, "expires", expires,
                "scripts", scripts, "nodes", nodes), Transport.REQUEST_TIMEOUT);
    }

    /**
     * Every token: {@code {name, role, createdAt, createdBy, expiresAt, lastUsedAt, scripts, nodes}} (never the
     * secret).
     */
    public List<Map<String, Object>> tokens() {
        return list(get(API + "/tokens", null), "tokens");
    }

    public Map<String, Object> revokeToken(String name) {
        return call("DELETE", API + "/tokens/" + Transport.segment(name), null, null, Transport.REQUEST_TIMEOUT);
    }

    /** The latest audit entries: {@code {time, actor, action, target, details}}; {@code limit} null for the default. */
    public List<Map<String, Object>> audit(Integer limit) {
        return list(get(API + "/audit", ordered("limit", limit)), "entries");
    }

    // --- schedules

    /**
     * Adds a cron schedule; {@code on}, {@code args}, {@code timeZone} and {@code grace} may be null (run on the
     * primary, no args, UTC, 60 s).
     */
    public Map<String, Object> addSchedule(String name, String cron, String script, String on, Map<String, ?> args,
                                           String timeZone, Duration grace) {
        return addSchedule(name, cron, script, on, args, timeZone, grace, Map.of());
    }

    /** As above, with args each slot's run gets as secret args (sealed on the primary, shown as ***). */
    public Map<String, Object> addSchedule(String name, String cron, String script, String on, Map<String, ?> args,
                                           String timeZone, Duration grace, Map<String, ?> secretArgs) {
        return call("POST", API + "/schedules", null, ordered("name", name, "cron", cron, "script", script, "on", on,
                "args", args, "timeZone", timeZone, "grace", grace == null ? null : grace.toMillis(),
                "secretArgs", secretArgs == null || secretArgs.isEmpty() ? null : secretArgs),
                Transport.REQUEST_TIMEOUT);
    }

    /** Every schedule, by name, with its next slot and its fired and missed counts. */
    public List<Map<String, Object>> schedules() {
        return list(get(API + "/schedules", null), "schedules");
    }

    public Map<String, Object> schedule(String name) {
        return get(API + "/schedules/" + Transport.segment(name), null);
    }

    public Map<String, Object> pauseSchedule(String name) {
        return call("POST", API + "/schedules/" + Transport.segment(name) + "/pause", null, Map.of(), Transport.REQUEST_TIMEOUT);
    }

    public Map<String, Object> resumeSchedule(String name) {
        return call("POST", API + "/schedules/" + Transport.segment(name) + "/resume", null, Map.of(), Transport.REQUEST_TIMEOUT);
    }

    public Map<String, Object> removeSchedule(String name) {
        return call("DELETE", API + "/schedules/" + Transport.segment(name), null, null, Transport.REQUEST_TIMEOUT);
    }

    // --- coordination: variables, locks and events, queues, pools (what scripts call vars, lock, event, queue, pool)

    /** The live variables of {@code scope} ({@code global}, {@code node:NAME}; null: every scope). */
    public List<Map<String, Object>> vars(String scope) {
        return list(get(API + "/vars", ordered("scope", scope)), "vars");
    }

    /** {@code {scope, name, value, version, expiresAt}}; a 404 when absent. */
    public Map<String, Object> getVar(String scope, String name) {
        return get(API + "/vars/" + Transport.segment(scope) + "/" + Transport.segment(name), null);
    }

    /**
     * Sets a variable; {@code ttl} null keeps it until removed; {@code ifVersion} non-null makes it a compare-and-set
     * (0: only if absent), answered 409 when the version is another.
     */
    public Map<String, Object> setVar(String scope, String name, Object value, Duration ttl, Long ifVersion) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", value);
        if (ttl != null) {
            body.put("ttl", ttl.toMillis());
        }
        if (ifVersion != null) {
            body.put("ifVersion", ifVersion);
        }
        return call("PUT", API + "/vars/" + Transport.segment(scope) + "/" + Transport.segment(name), null, body,
                Transport.REQUEST_TIMEOUT);
    }

    public Map<String, Object> deleteVar(String scope, String name) {
        return call("DELETE", API + "/vars/" + Transport.segment(scope) + "/" + Transport.segment(name), null, null,
                Transport.REQUEST_TIMEOUT);
    }

    /** {@code {locks: [...], events: [...]}}: mutexes and semaphores in use, events posted or waited for. */
    public Map<String, Object> locks() {
        return get(API + "/locks", null);
    }

    /** Posts, resets or pulses an event semaphore; answers its state. */
    public Map<String, Object> signalEvent(String name, String action) {
        return call("POST", API + "/events/" + Transport.segment(name), null, Map.of("action", action), Transport.REQUEST_TIMEOUT);
    }

    public List<Map<String, Object>> queues() {
        return list(get(API + "/queues", null), "queues");
    }

    /** Puts a message (any JSON value) at the end of a queue: {@code {queue, id}}. */
    public Map<String, Object> putMessage(String queue, Object message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        return call("POST", API + "/queues/" + Transport.segment(queue) + "/messages", null, body, Transport.REQUEST_TIMEOUT);
    }

    /** Takes the next message, waiting up to {@code wait}: {@code {queue, taken, message}}. */
    public Map<String, Object> takeMessage(String queue, Duration wait) {
        long ms = wait == null ? 0 : wait.toMillis();
        return call("POST", API + "/queues/" + Transport.segment(queue) + "/take", ordered("wait", ms + "ms"), Map.of(),
                Transport.REQUEST_TIMEOUT.plusMillis(ms));
    }

    public List<Map<String, Object>> pools() {
        return list(get(API + "/pools", null), "pools");
    }

    /** {@code {name, entries: [{entry, value, holder, leaving}], free, waiters}}; a 404 for no such pool. */
    public Map<String, Object> pool(String name) {
        return get(API + "/pools/" + Transport.segment(name), null);
    }

    public Map<String, Object> putPoolEntry(String pool, String entry, Object value) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", value);
        return call("PUT", API + "/pools/" + Transport.segment(pool) + "/entries/" + Transport.segment(entry), null, body,
                Transport.REQUEST_TIMEOUT);
    }

    public Map<String, Object> deletePoolEntry(String pool, String entry) {
        return call("DELETE", API + "/pools/" + Transport.segment(pool) + "/entries/" + Transport.segment(entry), null, null,
                Transport.REQUEST_TIMEOUT);
    }

    @Override
    public void close() {
        transport.close();
    }

    // --- plumbing

    private Map<String, Object> get(String path, Map<String, Object> query) {
        return call("GET", path, query, null, Transport.REQUEST_TIMEOUT);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> call(String method, String path, Map<String, Object> query, Object body, Duration timeout) {
        Object json = transport.json(method, path, query, body, timeout);
        if (json instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new StewardApiException(200, StewardApiException.BAD_RESPONSE,
                "the server at " + url() + " answered " + method + " " + path + " with JSON that is not an object", (Object) null);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> list(Map<String, Object> answer, String key) {
        if (answer.get(key) instanceof List<?> items && items.stream().allMatch(Map.class::isInstance)) {
            return (List<Map<String, Object>>) items;
        }
        throw new StewardApiException(200, StewardApiException.BAD_RESPONSE,
                "the server at " + url() + " answered without the list '" + key + "' that docs/api.md promises", (Object) null);
    }

    /** A map of the non-null pairs, in order: request bodies and queries leave out what the caller left out. */
    private static Map<String, Object> ordered(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                map.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return map;
    }
}
