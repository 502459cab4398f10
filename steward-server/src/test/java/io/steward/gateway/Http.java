package io.steward.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A plain HTTP client for gateway tests: real requests on loopback, answers parsed as JSON where they are JSON. */
public final class Http {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    public Http(String base, String token) {
        this.base = base;
        this.token = token;
    }

    public String token() {
        return token;
    }

    public Http as(String otherToken) {
        return new Http(base, otherToken);
    }

    /** One answer: status, headers and body (JSON parsed when it is JSON). */
    public record Answer(int status, java.net.http.HttpHeaders headers, String body) {
        @SuppressWarnings("unchecked")
        public Map<String, Object> json() {
            try {
                return JSON.readValue(body, Map.class);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        public String errorCode() {
            @SuppressWarnings("unchecked")
            Map<String, Object> error = (Map<String, Object>) json().get("error");
            return error == null ? null : (String) error.get("code");
        }

        public String errorMessage() {
            @SuppressWarnings("unchecked")
            Map<String, Object> error = (Map<String, Object>) json().get("error");
            return error == null ? null : (String) error.get("message");
        }
    }

    public Answer get(String path) {
        return send(request(path).GET());
    }

    public Answer get(String path, Map<String, String> headers) {
        HttpRequest.Builder b = request(path).GET();
        headers.forEach(b::header);
        return send(b);
    }

    public Answer delete(String path) {
        return send(request(path).DELETE());
    }

    public Answer put(String path, Object body) {
        try {
            String text = body instanceof String s ? s : JSON.writeValueAsString(body);
            return send(request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(text)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public Answer post(String path, Object body) {
        try {
            String text = body instanceof String s ? s : JSON.writeValueAsString(body);
            return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(text)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    public HttpClient client() {
        return client;
    }

    public Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
