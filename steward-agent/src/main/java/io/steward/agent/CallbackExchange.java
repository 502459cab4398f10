package io.steward.agent;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One request to the agent's {@link CallbackEndpoint}, read the way the primary's gateway reads its requests: a JSON
 * object body with a size limit and only known fields, a bearer token, query parameters, and an answer of JSON with
 * the API's error shape {@code {"error": {"code", "message"}}}. Mistakes are {@link IllegalArgumentException}s whose
 * message names the field (answered 400), or a {@link Refusal} carrying its own answer.
 */
final class CallbackExchange {
    private static final int MAX_BODY = 1 << 20;

    private final HttpExchange exchange;

    CallbackExchange(HttpExchange exchange) {
        this.exchange = exchange;
    }

    /** What to answer: an HTTP status and a JSON value. */
    record Answer(int status, Object body) {
    }

    /** An answer decided before the callback is applied (401, 403, 404, 405, 413). */
    static final class Refusal extends RuntimeException {
        final Answer answer;

        Refusal(Answer answer) {
            super(null, null, false, false);
            this.answer = answer;
        }
    }

    static Answer error(int status, String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        return new Answer(status, Map.of("error", error));
    }

    String method() {
        return exchange.getRequestMethod();
    }

    String path() {
        return exchange.getRequestURI().getRawPath();
    }

    /** The bearer token, or {@code null} when there is none. */
    String bearer() {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) && !header.substring(7).isBlank()
                ? header.substring(7).strip() : null;
    }

    String query(String name) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The body: a JSON object with no fields but {@code allowed}. */
    Map<String, Object> body(Set<String> allowed) {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        } catch (IOException e) {
            throw new IllegalArgumentException("the body could not be read: " + e.getMessage());
        }
        if (bytes.length > MAX_BODY) {
            throw new Refusal(error(413, "payload_too_large", "the body is over the limit of " + MAX_BODY + " bytes"));
        }
        Map<String, Object> body;
        try {
            body = Json.read(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the body must be a JSON object with " + allowed + ": " + e.getMessage());
        }
        for (String key : body.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("unknown field '" + key + "': the body may have " + allowed);
            }
        }
        return body;
    }

    void send(Answer answer) throws IOException {
        byte[] body = Json.write(answer.body()).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static Object required(Map<String, Object> body, String field) {
        if (!body.containsKey(field)) {
            throw new IllegalArgumentException("the body needs the field '" + field + "'");
        }
        return body.get(field);
    }

    static String text(Map<String, Object> body, String field) {
        if (!(required(body, field) instanceof String s)) {
            throw new IllegalArgumentException("the field '" + field + "' must be a string");
        }
        return s;
    }

    /** A duration as the API takes it: {@code "30s"}, or milliseconds. */
    static Duration duration(Object value, String what) {
        if (value instanceof Number n && n.longValue() > 0) {
            return Duration.ofMillis(n.longValue());
        }
        try {
            return io.steward.client.Durations.parse(String.valueOf(value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " must be a duration such as 500ms, 30s, 5m or 1h, not '" + value + "'");
        }
    }
}
