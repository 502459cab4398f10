package io.steward.drills;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 in front of one port, with the two faults a network has:
 * <ul>
 * <li>{@link #cut()}: every connection is closed (both peers see a FIN) and new ones are refused until {@link #restore()};
 * <li>{@link #blackhole()}: connections stay open but nothing gets through, in either direction, and no FIN is sent —
 * what a pulled cable or a dropping firewall looks like. New connections are accepted and held. On {@link #restore()}
 * what was held flows on, as TCP's retransmission would deliver it.
 * </ul>
 */
final class FaultProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private volatile boolean cut;
    private volatile boolean blackholed;

    FaultProxy(int targetPort) throws IOException {
        this.target = targetPort;
        this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("fault-proxy-accept").start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (cut) {
                    client.close();
                    continue;
                }
                open.add(client);
                Thread.ofVirtual().start(() -> connect(client));
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    private void connect(Socket client) {
        try {
            awaitFlowing();
            Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
            open.add(server);
            if (cut || client.isClosed()) {
                closeQuietly(server);
                closeQuietly(client);
                return;
            }
            Thread.ofVirtual().start(() -> pump(client, server));
            Thread.ofVirtual().start(() -> pump(server, client));
        } catch (IOException | InterruptedException e) {
            closeQuietly(client);
        }
    }

    private void awaitFlowing() throws InterruptedException {
        synchronized (gate) {
            while (blackholed) {
                gate.wait();
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                awaitFlowing(); // a blackhole holds what was read; TCP's buffers then fill and the sender stalls
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException ignored) {
            // one side went away: the other is closed below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    /** Closes every connection and refuses new ones until {@link #restore()}. */
    void cut() {
        cut = true;
        open.forEach(FaultProxy::closeQuietly);
        open.clear();
        restoreFlow();
    }

    /** Stops forwarding without closing anything. */
    void blackhole() {
        synchronized (gate) {
            blackholed = true;
        }
    }

    /** Lets everything through again. */
    void restore() {
        cut = false;
        restoreFlow();
    }

    private void restoreFlow() {
        synchronized (gate) {
            blackholed = false;
            gate.notifyAll();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cut();
    }
}
