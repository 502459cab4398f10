package io.steward.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback between the browser and the primary, with two fault knobs: {@link #dropAll()} cuts every
 * connection open now, as a flaky network or a restarting load balancer would (new connections pass as before), and
 * {@link #refuse} cuts every connection that asks for a path, until allowed again. It keeps what clients sent (the
 * requests' heads are plain HTTP/1.1 text), so a test can see what a reconnect asked for.
 */
final class DroppingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private volatile String refused;

    DroppingProxy(String upstreamUrl) throws IOException {
        URI uri = URI.create(upstreamUrl);
        this.upstream = new InetSocketAddress(uri.getHost(), uri.getPort());
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("proxy-accept").start(this::accept);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Cuts every connection open now. */
    void dropAll() {
        for (Socket s : open) {
            close(s);
        }
    }

    /** From now on cuts any connection whose client sends {@code pathPart} (in a request line); null allows all. */
    void refuse(String pathPart) {
        this.refused = pathPart;
    }

    /** Everything clients have sent through the proxy, one string per read. */
    List<String> sent() {
        return List.copyOf(sent);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target = new Socket(upstream.getAddress(), upstream.getPort());
                open.add(client);
                open.add(target);
                Thread.ofVirtual().start(() -> pump(client, target, true));
                Thread.ofVirtual().start(() -> pump(target, client, false));
            } catch (IOException e) {
                // closed, or the primary is gone: the browser sees a refused or dropped connection
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (fromClient) {
                    String text = new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                    sent.add(text);
                    String cut = refused;
                    if (cut != null && text.contains(cut)) {
                        return;
                    }
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away: the other goes too, below
        } finally {
            close(from);
            close(to);
        }
    }

    private void close(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        dropAll();
    }
}
