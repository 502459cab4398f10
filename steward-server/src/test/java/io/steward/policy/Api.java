package io.steward.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.gateway.Http;
import io.steward.gateway.TestPrimary;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

/** The few calls these tests make beyond {@link Http}'s: PUT, and reading runs and lists. */
final class Api {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Api() {
    }

    static Http.Answer put(Http http, String path, Object body) {
        try {
            return http.send(http.request(path).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Map<String, Object> run(TestPrimary primary, String id) {
        Http.Answer a = primary.admin.get("/api/v1/runs/" + id);
        if (a.status() != 200) {
            throw new AssertionError("GET run " + id + ": " + a.status() + " " + a.body());
        }
        return a.json();
    }

    static String state(TestPrimary primary, String id) {
        return (String) run(primary, id).get("state");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Http.Answer answer, String field) {
        return (List<Map<String, Object>>) answer.json().get(field);
    }

    static List<Map<String, Object>> runsOf(TestPrimary primary, String script) {
        return list(primary.admin.get("/api/v1/runs?limit=1000&script=" + script), "runs");
    }
}
