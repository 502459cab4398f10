package io.steward.security;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A bare WebSocket to the agent link that sends exactly what a test gives it (no hello of its own, any headers),
 * for probing what the primary accepts. Frames received are kept in order; {@link #closed} completes with the close
 * code (-1 when the connection broke).
 */
final class RawLink implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final List<Map<String, Object>> received;
    final CompletableFuture<Integer> closed;
    private final WebSocket socket;

    private RawLink(WebSocket socket, Listener listener) {
        this.socket = socket;
        this.received = listener.received;
        this.closed = listener.closed;
    }

    /** Opens the link; {@code headers} are sent with the upgrade (Authorization, Origin …). */
    static RawLink open(String primaryUrl, Map<String, String> headers) {
        Listener listener = new Listener();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        WebSocket socket = builder.buildAsync(URI.create(primaryUrl.replaceFirst("^http", "ws") + "/api/v1/agent"),
                listener).orTimeout(10, TimeUnit.SECONDS).join();
        return new RawLink(socket, listener);
    }

    static RawLink withToken(String primaryUrl, String token) {
        return open(primaryUrl, Map.of("Authorization", "Bearer " + token));
    }

    void send(Map<String, Object> frame) {
        try {
            sendRaw(JSON.writeValueAsString(frame));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Sends unless the primary has closed the link already (a refused link may be closed before we speak). */
    void trySend(Map<String, Object> frame) {
        try {
            send(frame);
        } catch (java.util.concurrent.CompletionException e) {
            if (!socket.isOutputClosed() && !closed.isDone()) {
                throw e;
            }
        }
    }

    void sendRaw(String text) {
        socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    List<Map<String, Object>> errors() {
        return received.stream().filter(f -> "error".equals(f.get("type"))).toList();
    }

    /** Waits until the primary has sent {@code count} error frames in all, and returns the last. */
    Map<String, Object> awaitError(int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> errors().size() >= count);
        return errors().get(count - 1);
    }

    /** The close code, waiting for the close (-1 for a broken connection). */
    int awaitClose() {
        return closed.orTimeout(20, TimeUnit.SECONDS).join();
    }

    boolean isOpen() {
        return !closed.isDone() && !socket.isInputClosed();
    }

    @Override
    public void close() {
        socket.abort();
    }

    private static final class Listener implements WebSocket.Listener {
        final List<Map<String, Object>> received = new CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();

        @Override
        @SuppressWarnings("unchecked")
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String whole = text.toString();
                text.setLength(0);
                try {
                    received.add(JSON.readValue(whole, Map.class));
                } catch (java.io.IOException e) {
                    received.add(Map.of("type", "unreadable", "text", whole));
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
        }
    }
}
