package io.steward.nodes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.websocket.WsContext;
import org.eclipse.jetty.websocket.api.Callback;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One agent's live link. Sends are serialised and wait for the frame to leave, because a WebSocket session takes one
 * message in flight at a time; callers are virtual threads, so the wait costs nothing.
 */
public final class AgentSession {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WsContext ws;
    private final String tokenName;
    private volatile String name;
    private volatile Instant lastHeard = Instant.now();

    AgentSession(WsContext ws, String tokenName) {
        this.ws = ws;
        this.tokenName = tokenName;
    }

    public String name() {
        return name;
    }

    void name(String name) {
        this.name = name;
    }

    String tokenName() {
        return tokenName;
    }

    Instant lastHeard() {
        return lastHeard;
    }

    void heard() {
        lastHeard = Instant.now();
    }

    /** Sends one frame; false when the link is gone (the caller treats the agent as unreachable). */
    public boolean send(Map<String, Object> message) {
        String text;
        try {
            text = JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode a link message: " + e.getMessage(), e);
        }
        synchronized (this) {
            if (!ws.session.isOpen()) {
                return false;
            }
            Callback.Completable sent = new Callback.Completable();
            ws.session.sendText(text, sent);
            try {
                sent.get(30, TimeUnit.SECONDS);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                return false;
            }
        }
    }

    void close(int code, String reason) {
        ws.closeSession(code, reason);
    }

    boolean open() {
        return ws.session.isOpen();
    }
}
