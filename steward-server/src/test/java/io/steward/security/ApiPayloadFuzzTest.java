package io.steward.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.gateway.Http;
import io.steward.gateway.TestPrimary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every POST and PUT route of the served OpenAPI document gets mutated JSON bodies (wrong types, missing fields,
 * nulls, huge numbers, deep nesting, long strings, invalid UTF-8, truncated JSON, a non-object top level): each is
 * answered in time, never with a 5xx, and every 4xx is a JSON error with a message.
 */
class ApiPayloadFuzzTest {
    static final int CASES_PER_ROUTE = 14;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void mutatedBodiesAreAnsweredWithoutA5xx() throws Exception {
        Fuzz fuzz = new Fuzz(0x5EED_A11L);
        try (TestPrimary primary = new TestPrimary(dir)) {
            primary.push("ok.groovy", "'fine'");
            String runId = (String) primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "ok.groovy")).json().get("id");
            Map<String, Object> document = primary.admin.get("/api/v1/openapi.json").json();
            Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) document.get("components")).get("schemas");
            int sent = 0;
            for (var path : ((Map<String, Object>) document.get("paths")).entrySet()) {
                for (var operation : ((Map<String, Object>) path.getValue()).entrySet()) {
                    String method = operation.getKey().toUpperCase();
                    if (!method.equals("POST") && !method.equals("PUT")) {
                        continue;
                    }
                    String url = path.getKey().replace("{id}", runId).replace("/scripts/{name}", "/scripts/ok.groovy")
                            .replaceAll("\\{[^}]+}", "fuzz");
                    Map<String, Object> base = validish(bodySchema((Map<String, Object>) operation.getValue(), schemas));
                    for (int i = 0; i < CASES_PER_ROUTE; i++) {
                        Mutation m = mutate(fuzz, base);
                        String what = method + " " + url + " with " + m.what();
                        HttpRequest.Builder request = primary.admin.request(url).header("Content-Type", "application/json")
                                .method(method, HttpRequest.BodyPublishers.ofByteArray(m.body()));
                        fuzz.answeredWell(fuzz.send(primary.admin, request, what), what);
                        sent++;
                    }
                }
            }
            assertThat(sent).as(fuzz.at("requests sent")).isGreaterThan(200);
            fuzz.primaryStillServes(primary);
        }
    }

    record Mutation(String what, byte[] body) {
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> bodySchema(Map<String, Object> operation, Map<String, Object> schemas) {
        Object schema = operation.get("requestBody") instanceof Map<?, ?> rb && rb.get("content") instanceof Map<?, ?> c
                && c.get("application/json") instanceof Map<?, ?> j ? j.get("schema") : null;
        if (schema instanceof Map<?, ?> s && s.get("$ref") instanceof String ref) {
            schema = schemas.get(ref.substring(ref.lastIndexOf('/') + 1));
        }
        return schema instanceof Map<?, ?> s ? (Map<String, Object>) s : Map.of();
    }

    /** A body of the right shape with plain values, for the mutations to start from. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> validish(Map<String, Object> schema) {
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Object> properties = (Map<String, Object>) schema.getOrDefault("properties", Map.of());
        properties.forEach((name, p) -> body.put(name, switch (String.valueOf(((Map<String, Object>) p).get("type"))) {
            case "integer", "number" -> 1;
            case "boolean" -> true;
            case "array" -> List.of();
            case "object" -> Map.of();
            default -> "fuzz";
        }));
        return body;
    }

    private static Mutation mutate(Fuzz fuzz, Map<String, Object> base) throws Exception {
        List<String> fields = new ArrayList<>(base.keySet());
        String field = fields.isEmpty() ? "x" : fuzz.pick(fields);
        Map<String, Object> body = new LinkedHashMap<>(base);
        return switch (fuzz.below(10)) {
            case 0 -> {
                Object wrong = fuzz.pick(List.of(12345, -1, 3.5, true, List.of(1, "a"), Map.of("k", "v"), "text", ""));
                body.put(field, wrong);
                yield json("field " + field + " = " + wrong, body);
            }
            case 1 -> {
                body.remove(field);
                yield json("field " + field + " missing", body);
            }
            case 2 -> {
                body.put(field, null);
                yield json("field " + field + " null", body);
            }
            case 3 -> {
                String huge = fuzz.pick(List.of("1e309", "-1e309", "99999999999999999999999999999", "-9223372036854775809",
                        "1" + "0".repeat(5000), "0.000000000000000000000000000001e-400"));
                String text = JSON.writeValueAsString(body);
                String key = JSON.writeValueAsString(field);
                yield raw("field " + field + " = " + Fuzz.abbreviate(huge), text.equals("{}")
                        ? "{" + key + ":" + huge + "}" : text.replaceFirst("^\\{", "{" + java.util.regex.Matcher.quoteReplacement(key + ":" + huge + ",")));
            }
            case 4 -> {
                int depth = fuzz.pick(List.of(10_000, 2_000, 100_000));
                String open = fuzz.pick(List.of("[", "{\"a\":"));
                yield raw(depth + " levels of " + open, open.repeat(depth) + (fuzz.below(2) == 0 ? "1" + (open.equals("[")
                        ? "]" : "}").repeat(depth) : ""));
            }
            case 5 -> {
                int length = fuzz.pick(List.of(10_000, 70_000, 1_000_000));
                body.put(field, "x".repeat(length));
                yield json("field " + field + " of " + length + " characters", body);
            }
            case 6 -> {
                byte[] text = JSON.writeValueAsBytes(body.isEmpty() ? Map.of("x", "y") : body);
                byte[] bad = fuzz.pick(List.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xFF, (byte) 0xFE},
                        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF8, (byte) 0x88}));
                int at = indexOfFirstQuoteValue(text);
                byte[] mixed = new byte[text.length + bad.length];
                System.arraycopy(text, 0, mixed, 0, at);
                System.arraycopy(bad, 0, mixed, at, bad.length);
                System.arraycopy(text, at, mixed, at + bad.length, text.length - at);
                yield new Mutation("invalid UTF-8 " + java.util.HexFormat.of().formatHex(bad) + " at byte " + at, mixed);
            }
            case 7 -> {
                String text = JSON.writeValueAsString(body);
                int cut = fuzz.below(Math.max(1, text.length() - 1));
                yield raw("truncated after " + cut + " characters", text.substring(0, cut));
            }
            case 8 -> {
                String top = fuzz.pick(List.of("[]", "[{}]", "\"text\"", "1", "null", "true", "", " ", "{}", "{}{}",
                        "{\"a\":1}garbage", "\u0000"));
                yield raw("top level " + JSON.writeValueAsString(top), top);
            }
            default -> {
                String noise = fuzz.noise(40);
                body.put(field, noise);
                yield json("field " + field + " = " + JSON.writeValueAsString(noise), body);
            }
        };
    }

    /** Just after the first quote of the first string value, or after the opening brace. */
    private static int indexOfFirstQuoteValue(byte[] text) {
        String s = new String(text, StandardCharsets.UTF_8);
        int colonQuote = s.indexOf(":\"");
        return colonQuote < 0 ? 1 : colonQuote + 2;
    }

    private static Mutation json(String what, Object body) throws Exception {
        return new Mutation(what, JSON.writeValueAsBytes(body));
    }

    private static Mutation raw(String what, String text) {
        return new Mutation(what, text.getBytes(StandardCharsets.UTF_8));
    }
}
