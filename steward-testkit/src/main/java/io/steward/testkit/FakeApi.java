package io.steward.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A fake of the Steward HTTP API for client and CLI tests: a real HTTP server (the JDK's) on 127.0.0.1 and a free
 * port that answers only the routes a test declares and records every request. Unknown routes get the API's 404
 * error body. Fault knob: an SSE stream can {@link Sse#drop() drop} its connection mid-way, as a dying server or
 * proxy would. This is test infrastructure, not a model of the server: each test says exactly what it answers.
 */
public final class FakeApi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request as the fake saw it; header names are lower case, the path is raw (still percent-encoded). */
    public record Request(String method, String path, Map<String, String> query, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @SuppressWarnings("unchecked")
        public Map<String, Object> json() throws IOException {
            return JSON.readValue(body, Map.class);
        }
    }

    @FunctionalInterface
    public interface Handler {
        void handle(Request request, Reply reply) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Handler> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private FakeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    public static FakeApi start() throws IOException {
        return new FakeApi();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers {@code method path} (raw path, no query) with {@code handler}, replacing an earlier one. */
    public FakeApi on(String method, String path, Handler handler) {
        routes.put(method + " " + path, handler);
        return this;
    }

    /** Answers {@code method path} with this JSON and status. */
    public FakeApi json(String method, String path, int status, Object body) {
        return on(method, path, (req, reply) -> reply.json(status, body));
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    private void serve(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                query(exchange.getRequestURI().getRawQuery()), headers,
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        requests.add(request);
        Reply reply = new Reply(exchange);
        Handler handler = routes.get(request.method() + " " + request.path());
        if (handler == null) {
            reply.error(404, "not_found", "fake: no route for " + request.method() + " " + request.path());
            return;
        }
        handler.handle(request, reply);
        exchange.close();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** How a handler answers. */
    public static final class Reply {
        private final HttpExchange exchange;

        Reply(HttpExchange exchange) {
            this.exchange = exchange;
        }

        public void json(int status, Object body) throws IOException {
            send(status, "application/json", JSON.writeValueAsBytes(body), Map.of());
        }

        /** The API's error body: {@code {"error": {"code", "message"}}}. */
        public void error(int status, String code, String message) throws IOException {
            json(status, Map.of("error", Map.of("code", code, "message", message)));
        }

        public void text(int status, String contentType, String text, Map<String, String> headers) throws IOException {
            send(status, contentType, text.getBytes(StandardCharsets.UTF_8), headers);
        }

        public void bytes(int status, String contentType, byte[] body, Map<String, String> headers) throws IOException {
            send(status, contentType, body, headers);
        }

        private void send(int status, String contentType, byte[] body, Map<String, String> headers) throws IOException {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            headers.forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }

        /** Starts a 200 {@code text/event-stream} answer, written as the test goes. */
        public Sse sse() throws IOException {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.sendResponseHeaders(200, 0);
            return new Sse(exchange.getResponseBody());
        }
    }

    /** A live SSE answer. */
    public static final class Sse {
        private final OutputStream out;

        Sse(OutputStream out) {
            this.out = out;
        }

        /** One event the way the server sends it: {@code id:} seq, {@code event:} kind, {@code data:} the event's JSON. */
        public Sse event(long seq, String kind, Map<String, Object> data) throws IOException {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("seq", seq);
            event.put("kind", kind);
            event.put("time", 1_700_000_000_000L + seq);
            event.put("data", data);
            return raw("id: " + seq + "\nevent: " + kind + "\ndata: " + JSON.writeValueAsString(event) + "\n\n");
        }

        /** Anything, as is: comments, odd line ends, half a message. */
        public Sse raw(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return this;
        }

        /** Ends the stream cleanly (the handler returns and the exchange closes). */
        public void end() throws IOException {
            out.close();
        }

        /**
         * Cuts the connection without ending the chunked body, so the client sees a broken stream, not an end: the
         * JDK's server closes the connection of an exchange whose handler throws.
         */
        public void drop() throws IOException {
            throw new IOException("fake: connection dropped on purpose");
        }
    }
}
