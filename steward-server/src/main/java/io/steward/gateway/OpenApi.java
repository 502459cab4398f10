package io.steward.gateway;

import io.steward.gateway.wire.ErrorResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3.1 document of the API, built from the {@link RouteTable} and the schemas of the records the routes
 * answer with ({@link RecordSchemas}). Prose lives in docs/api.md. The document is deterministic (no host, time or
 * port in it), so docs/openapi.json can be checked against it byte for byte.
 */
final class OpenApi {
    private static final Pattern PARAM = Pattern.compile("[{<]([a-zA-Z]+)[}>]");
    static final String ERROR = "#/components/schemas/" + RecordSchemas.name(ErrorResponse.class);

    /** The groups of operations, in the order a reader meets them. */
    static final Map<String, String> TAGS = tags(
            "server", "Liveness, the primary's node info and this document",
            "nodes", "The primary and its agents",
            "scripts", "The script store: versioned sources runs are made from",
            "runs", "Invoke, list, poll, cancel and message runs; their events and output",
            "callbacks", "How a run's local processes report into it (a run token reaches its own run)",
            "changes", "A live stream of runs and nodes as they change",
            "tokens", "API tokens and who the caller is",
            "audit", "Who did what",
            "coordination", "Variables, locks and events, queues and resource pools shared by runs and clients",
            "schedules", "Cron schedules that invoke scripts at their slots",
            "notifications", "Webhooks and scripts told when runs end in given states",
            "agents", "The agent link");

    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(101, "Switching Protocols"), Map.entry(200, "OK"), Map.entry(201, "Created"),
            Map.entry(202, "Accepted"), Map.entry(400, "Bad request: the message names the field or parameter"),
            Map.entry(401, "No token, or an unknown or revoked one"),
            Map.entry(403, "The token's role may not do this"), Map.entry(404, "Not found"),
            Map.entry(409, "Conflicts with the thing's state (a run that has ended, a node not pending)"),
            Map.entry(413, "Over one of the server's size limits (the body, a script, args, an event): "
                    + "details.limit names it"),
            Map.entry(422, "The launcher refused the request"),
            Map.entry(429, "Over a limit on how many at once: the script's concurrency (script_busy) or the "
                    + "token's open streams (too_many_streams)"),
            Map.entry(500, "The launcher failed on this request"),
            Map.entry(502, "Another primary of the cluster, which this request needed, did not answer"),
            Map.entry(503, "Something the request needs is unavailable now (the launcher, an agent's node)"));

    private OpenApi() {
    }

    static Map<String, Object> document(List<RouteTable.Route> routes, String version) {
        RecordSchemas schemas = new RecordSchemas();
        schemas.of(ErrorResponse.class);
        Map<String, Object> paths = new LinkedHashMap<>();
        for (RouteTable.Route r : routes) {
            String path = PARAM.matcher(r.path()).replaceAll("{$1}");
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(path, p -> new LinkedHashMap<>());
            item.put(r.method(), operation(r, schemas));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put("info", map("title", "Steward API", "version", version,
                "description", "The primary's HTTP API. Roles: viewer < operator < admin; agent for agent links; "
                        + "callback routes take an operator's token or the run's own run token (STEWARD_TOKEN). "
                        + "Every error is the Error schema with its HTTP status. docs/api.md has examples."));
        doc.put("servers", List.of(map("url", "http://127.0.0.1:" + GatewayConfig.DEFAULT_PORT,
                "description", "a primary on its default address")));
        doc.put("security", List.of(map("bearer", List.of())));
        List<Map<String, Object>> tags = new ArrayList<>();
        TAGS.forEach((name, text) -> tags.add(map("name", name, "description", text)));
        doc.put("tags", tags);
        doc.put("paths", paths);
        doc.put("components", map(
                "schemas", schemas.components(),
                "securitySchemes", map("bearer", map("type", "http", "scheme", "bearer",
                        "description", "a token from `steward token create`, the admin token file, or a run's STEWARD_TOKEN"))));
        return doc;
    }

    private static Map<String, Object> operation(RouteTable.Route r, RecordSchemas schemas) {
        Operation op = r.op();
        if (!TAGS.containsKey(op.tag)) {
            throw new IllegalStateException("the route " + r.path() + " has the unknown tag " + op.tag);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tags", List.of(op.tag));
        out.put("operationId", op.id);
        out.put("summary", op.summary);
        if (op.description != null) {
            out.put("description", op.description);
        }
        out.put("x-steward-role", r.access().name().toLowerCase(Locale.ROOT));
        List<Map<String, Object>> parameters = new ArrayList<>();
        Matcher m = PARAM.matcher(r.path());
        boolean hasPathParams = false;
        while (m.find()) {
            hasPathParams = true;
            Map<String, Object> p = map("name", m.group(1), "in", "path", "required", true,
                    "schema", map("type", "string"));
            if (r.path().contains("<" + m.group(1) + ">")) {
                p.put("description", "may hold slashes (deploy/web.groovy), sent as they are");
            }
            parameters.add(p);
        }
        for (Operation.Param p : op.params) {
            parameters.add(map("name", p.name(), "in", p.in(), "required", false,
                    "description", p.description(), "schema", schemas.of(p.type())));
        }
        if (!parameters.isEmpty()) {
            out.put("parameters", parameters);
        }
        if (op.body != null) {
            out.put("requestBody", map("required", true,
                    "content", map("application/json", map("schema", schemas.of(op.body)))));
        }
        if (r.access() == Access.PUBLIC) {
            out.put("security", List.of());
        }
        out.put("responses", responses(r, op, hasPathParams, schemas));
        return out;
    }

    private static Map<String, Object> responses(RouteTable.Route r, Operation op, boolean hasPathParams,
                                                 RecordSchemas schemas) {
        Map<String, Object> responses = new LinkedHashMap<>();
        Map<String, Object> success = map("description", REASONS.get(op.status));
        if (!op.responseHeaders.isEmpty()) {
            Map<String, Object> headers = new LinkedHashMap<>();
            op.responseHeaders.forEach((name, text) -> headers.put(name,
                    map("description", text, "schema", map("type", "string"))));
            success.put("headers", headers);
        }
        Map<String, Object> content = new LinkedHashMap<>();
        if (op.response != null) {
            content.put("application/json", map("schema", schemas.of(op.response)));
        }
        for (Operation.Alternative a : op.alternatives) {
            content.put(a.mediaType(), map("schema", map("type", a.mediaType().contains("json") ? "object" : "string",
                    "description", a.description())));
        }
        if (!content.isEmpty()) {
            success.put("content", content);
        }
        responses.put(Integer.toString(op.status), success);
        for (int status : op.otherSuccesses) {
            Map<String, Object> same = new LinkedHashMap<>(success);
            same.put("description", REASONS.get(status));
            responses.put(Integer.toString(status), same);
        }
        for (int status : errorStatuses(r, op, hasPathParams)) {
            responses.put(Integer.toString(status), map("description", REASONS.get(status),
                    "content", map("application/json", map("schema", map("$ref", ERROR)))));
        }
        return responses;
    }

    /** The route's own error statuses and those every route of its kind may answer. */
    private static Set<Integer> errorStatuses(RouteTable.Route r, Operation op, boolean hasPathParams) {
        Set<Integer> statuses = new TreeSet<>(op.errors);
        if (r.access() != Access.PUBLIC) {
            statuses.add(401);
            statuses.add(403);
        }
        if (op.body != null) {
            statuses.add(400);
            statuses.add(413);
        }
        if (op.params.stream().anyMatch(p -> p.in().equals("query") || p.in().equals("header"))) {
            statuses.add(400);
        }
        if (hasPathParams) {
            statuses.add(404);
        }
        for (int s : statuses) {
            if (!REASONS.containsKey(s)) {
                throw new IllegalStateException("no description for the status " + s + " of " + r.path());
            }
        }
        return statuses;
    }

    private static Map<String, String> tags(String... nameThenText) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < nameThenText.length; i += 2) {
            tags.put(nameThenText[i], nameThenText[i + 1]);
        }
        return tags;
    }

    private static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
