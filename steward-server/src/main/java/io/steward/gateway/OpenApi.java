package io.steward.gateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The OpenAPI 3.1 document of the API, built from the {@link RouteTable}. Prose lives in docs/api.md. */
final class OpenApi {
    private static final Pattern PARAM = Pattern.compile("[{<]([a-zA-Z]+)[}>]");

    private OpenApi() {
    }

    static Map<String, Object> document(List<RouteTable.Route> routes, String version) {
        Map<String, Object> paths = new LinkedHashMap<>();
        for (RouteTable.Route r : routes) {
            String path = PARAM.matcher(r.path()).replaceAll("{$1}");
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(path, p -> new LinkedHashMap<>());
            Map<String, Object> op = new LinkedHashMap<>();
            op.put("summary", r.summary());
            op.put("x-steward-role", r.access().name().toLowerCase(java.util.Locale.ROOT));
            List<Map<String, Object>> parameters = new ArrayList<>();
            Matcher m = PARAM.matcher(r.path());
            while (m.find()) {
                parameters.add(Map.of("name", m.group(1), "in", "path", "required", true,
                        "schema", Map.of("type", "string")));
            }
            if (!parameters.isEmpty()) {
                op.put("parameters", parameters);
            }
            op.put("security", r.access() == Access.PUBLIC ? List.of() : List.of(Map.of("bearer", List.of())));
            op.put("responses", Map.of(
                    "200", Map.of("description", "success", "content", json()),
                    "default", Map.of("description", "an error: {\"error\": {\"code\", \"message\", \"details\"}}",
                            "content", Map.of("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/Error"))))));
            item.put(r.method(), op);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put("info", Map.of("title", "Steward API", "version", version,
                "description", "The primary's HTTP API. Roles: viewer < operator < admin; agent for agent links; "
                        + "callback routes take an operator's token or the run's own run token (STEWARD_TOKEN)."));
        doc.put("paths", paths);
        Map<String, Object> errorBody = Map.of("type", "object", "required", List.of("code", "message"),
                "properties", Map.of("code", Map.of("type", "string"), "message", Map.of("type", "string"),
                        "details", Map.of()));
        Map<String, Object> error = Map.of("type", "object", "properties", Map.of("error", errorBody));
        doc.put("components", Map.of(
                "securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer")),
                "schemas", Map.of("Error", error)));
        return doc;
    }

    private static Map<String, Object> json() {
        return Map.of("application/json", Map.of("schema", Map.of("type", "object")));
    }
}
