package io.steward.agent;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * The WebSocket's callbacks: they only assemble text frames (the JDK may deliver one in parts) and hand them to
 * the link's thread through the inbox, so that no frame is ever handled on the HTTP client's threads.
 */
final class LinkListener implements WebSocket.Listener {
    private final LinkInbox inbox;
    private final StringBuilder partial = new StringBuilder();

    LinkListener(LinkInbox inbox) {
        this.inbox = inbox;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            inbox.put(new LinkInbox.Frame(socket, partial.toString()));
            partial.setLength(0);
        }
        socket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
        // the protocol has no binary frames; ignore them rather than fail the link
        socket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket socket, ByteBuffer message) {
        inbox.put(new LinkInbox.Heard(socket));
        socket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
        inbox.put(new LinkInbox.Closed(socket, statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
        inbox.put(new LinkInbox.Failed(socket, error));
    }
}
