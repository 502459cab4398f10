package io.steward.agent;

import io.steward.coordinator.NodeInfo;

import java.io.IOException;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The agent's end of the link (docs/agent-protocol.md), run by one thread of its own: connect, {@code hello},
 * then one loop that handles what the primary says, sends the outbox, and beats; on any failure, wait with
 * {@link Backoff} and connect again, forever, until stopped or refused. An agent given several primaries moves to
 * the next one when the one it had stays unreachable ({@link PrimaryRoster}); its outbox replays there.
 *
 * <p>Everything the link does happens on this one thread, so the outbox's send positions, the heartbeat clock and
 * the current socket need no locks, and a slow network only ever slows this thread. A new {@link WebSocket} is
 * built from the URL on every attempt, so the primary's host name is resolved again each time (within the JVM's
 * DNS cache time, {@code networkaddress.cache.ttl}).
 *
 * <p>A primary that says nothing — no frame and no pong to our pings — for three heartbeats is taken for gone: a
 * half-open TCP connection would otherwise look alive for many minutes.
 */
final class AgentLink implements Runnable {
    private static final System.Logger LOG = System.getLogger(AgentLink.class.getName());
    /** Events per frame, in bytes: well under the 64 KiB a WebSocket server accepts by default. */
    static final int MAX_EVENT_BYTES_PER_FRAME = 32 * 1024;
    private static final int INFO_EVERY_BEATS = 6;
    private static final int SILENT_BEATS = 3;
    private static final long DEFAULT_HEARTBEAT_MS = 10_000;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final long SEND_TIMEOUT_MS = 30_000;
    private static final long DRAIN_MS = 2_000;

    private final AgentConfig config;
    /** The primaries, each with its client and its trust (which pins an https primary's key at the first join). */
    private final PrimaryRoster roster;
    private final CredentialFile credential;
    private final LinkInbox inbox;
    private final AgentOutbox outbox;
    private final RunDispatcher dispatcher;
    private final RunReports reports;
    private final NodeInfo node;
    private final Backoff backoff;
    private final Consumer<RuntimeException> onEnd;
    private final ChildRequests children;
    private final LinkedCoordination coordination;
    /** This agent's runs' event limits: the primary's, from its welcome. */
    private final io.steward.coordinator.EventLimits limits;
    /** Frames other threads want sent ({@code refused}, message answers); kept until sent, across reconnects. */
    private final Queue<Map<String, Object>> control = new ConcurrentLinkedQueue<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean stopping;
    private volatile boolean joined;
    private long heartbeatMs;
    /** The primary of the current connection. */
    private PrimaryRoster.Endpoint linked;
    /** Whether the current connection authenticated with the stored credential rather than the join token. */
    private boolean withCredential;

    AgentLink(AgentConfig config, PrimaryRoster roster, CredentialFile credential, LinkInbox inbox, AgentOutbox outbox,
              RunDispatcher dispatcher, RunReports reports, NodeInfo node, Backoff backoff,
              Consumer<RuntimeException> onEnd, ChildRequests children, LinkedCoordination coordination,
              io.steward.coordinator.EventLimits limits) {
        this.limits = limits;
        this.children = children;
        this.coordination = coordination;
        this.config = config;
        this.roster = roster;
        this.credential = credential;
        this.inbox = inbox;
        this.outbox = outbox;
        this.dispatcher = dispatcher;
        this.reports = reports;
        this.node = node;
        this.backoff = backoff;
        this.onEnd = onEnd;
        this.heartbeatMs = config.heartbeat() != null ? config.heartbeat().toMillis() : DEFAULT_HEARTBEAT_MS;
    }

    /** Queues a frame from another thread; never blocks. */
    void sendLater(Map<String, Object> frame) {
        control.add(frame);
        inbox.wake();
    }

    /** Asks the link to end: it sends what the outbox still has (briefly), closes the socket and returns. */
    void stop() {
        stopping = true;
        stopRequested.countDown();
        inbox.wake();
    }

    boolean joined() {
        return joined;
    }

    /** How many times the link has connected (for tests and the log). */
    int connections() {
        return connections.get();
    }

    @Override
    public void run() {
        RuntimeException failure = null;
        try {
            while (!stopping) {
                PrimaryRoster.Endpoint primary = roster.current();
                URI uri = primary.link();
                WebSocket socket;
                try {
                    socket = connect(primary);
                } catch (PrimaryNotTrustedException e) {
                    if (roster.size() == 1) {
                        throw e;
                    }
                    // one primary of several failed its pin: the others may still be trusted; the last refusal ends it
                    LOG.log(System.Logger.Level.ERROR, e.getMessage() + "; this agent does not link to it again "
                            + "and tries its other primaries");
                    roster.refuse(e);
                    continue;
                }
                if (socket != null) {
                    try {
                        session(socket, primary);
                    } catch (IOException e) {
                        LOG.log(System.Logger.Level.WARNING, "link to " + uri + " lost: " + e.getMessage());
                    } catch (AgentRefusedException | PrimaryNotTrustedException e) {
                        throw e;
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.ERROR, "link to " + uri + " failed", e);
                    } finally {
                        joined = false;
                        socket.abort();
                    }
                }
                if (!stopping) {
                    URI next = roster.failed().link();
                    Duration wait = backoff.next();
                    LOG.log(System.Logger.Level.INFO, (next.equals(uri) ? "reconnecting to " : "failing over from " + uri
                            + " to ") + next + " in " + wait.toMillis() + " ms");
                    stopRequested.await(wait.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (AgentRefusedException | PrimaryNotTrustedException e) {
            LOG.log(System.Logger.Level.ERROR, e.getMessage());
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the agent link failed", e);
            failure = e;
        }
        onEnd.accept(failure);
    }

    /** One attempt; {@code null} when the primary cannot be reached (it is retried). */
    private WebSocket connect(PrimaryRoster.Endpoint primary) throws InterruptedException {
        URI uri = primary.link();
        String stored = credential.read().orElse(null);
        String token = stored != null ? stored : config.joinToken();
        if (token == null || token.isBlank()) {
            // Agent.start checked this; the credential file has been removed since
            throw new IllegalStateException("no credential in " + credential.path() + " and no join token given");
        }
        try {
            WebSocket socket = primary.http().newWebSocketBuilder()
                    .header("Authorization", "Bearer " + token)
                    .connectTimeout(CONNECT_TIMEOUT)
                    .buildAsync(uri, new LinkListener(inbox))
                    .get(CONNECT_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            connections.incrementAndGet();
            withCredential = stored != null;
            LOG.log(System.Logger.Level.INFO, "connected to " + uri + " with the "
                    + (stored != null ? "stored credential" : "join token"));
            return socket;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                int status = refused.getResponse().statusCode();
                if (status == 401 || status == 403) {
                    throw new AgentRefusedException("unauthorized", "the primary answered HTTP " + status
                            + " to the " + (stored != null ? "stored credential in " + credential.path() : "join token"));
                }
                LOG.log(System.Logger.Level.WARNING, "cannot join " + uri + ": HTTP " + status);
            } else if (cause(e, io.steward.tls.PinningTrustManager.PinMismatchException.class) != null) {
                throw primary.trust().mismatch(cause(e, io.steward.tls.PinningTrustManager.PinMismatchException.class));
            } else if (cause(e, javax.net.ssl.SSLException.class) != null) {
                LOG.log(System.Logger.Level.WARNING, "cannot join " + uri + ": TLS failed ("
                        + rootMessage(e) + "); check --ca-cert, --primary-fingerprint and the primary's host name");
            } else {
                LOG.log(System.Logger.Level.WARNING, "cannot reach " + uri + ": " + e.getCause());
            }
        } catch (TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot reach " + uri + ": no answer in " + CONNECT_TIMEOUT);
        }
        return null;
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** One connection, from {@code hello} to its end; returns normally only when stopping. */
    private void session(WebSocket socket, PrimaryRoster.Endpoint primary) throws IOException, InterruptedException {
        linked = primary;
        // from the first unacknowledged event on: to the same primary after a drop, or to another one after failover
        outbox.rewind();
        send(socket, Json.frame("hello", "name", node.name(), "labels", node.labels(), "info", node.toMap(),
                "runs", reports.states()));
        long lastHeard = System.nanoTime();
        long nextBeat = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(heartbeatMs);
        long drainUntil = 0;
        int beats = 0;
        while (true) {
            if (stopping) {
                if (drainUntil == 0) {
                    drainUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MS);
                }
                if (!joined || !outbox.hasUnsent() || System.nanoTime() > drainUntil) {
                    closeQuietly(socket);
                    return;
                }
            }
            // what the primary said comes first (acks free space); then one frame out; else wait for either
            LinkInbox.Item item = inbox.poll(0);
            if (item == null && !(joined && sendPending(socket))) {
                long waitMs = TimeUnit.NANOSECONDS.toMillis(nextBeat - System.nanoTime());
                item = inbox.poll(Math.max(1, waitMs));
            }
            if (item != null && handle(socket, item)) {
                lastHeard = System.nanoTime();
                // the welcome may have set a shorter heartbeat than the one this session began with: beat by it now,
                // or a silent primary would go unnoticed until the first beat of the old, longer period
                long soonest = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(heartbeatMs);
                if (nextBeat - soonest > 0) {
                    nextBeat = soonest;
                }
            }
            if (System.nanoTime() >= nextBeat) {
                if (System.nanoTime() - lastHeard > TimeUnit.MILLISECONDS.toNanos(heartbeatMs * SILENT_BEATS)) {
                    throw new IOException("the primary has been silent for " + SILENT_BEATS + " heartbeats");
                }
                beats++;
                Map<String, Object> beat = Json.frame("heartbeat", "time", Instant.now().toString());
                if (beats % INFO_EVERY_BEATS == 0) {
                    beat.put("info", node.toMap());
                }
                send(socket, beat);
                ping(socket);
                nextBeat = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(heartbeatMs);
            }
        }
    }

    /** Sends one pending frame (control first, then the outbox); {@code false} when there was none. */
    private boolean sendPending(WebSocket socket) throws IOException, InterruptedException {
        Map<String, Object> frame = control.peek();
        if (frame != null) {
            send(socket, frame);
            control.poll();
            return true;
        }
        String next = outbox.next(MAX_EVENT_BYTES_PER_FRAME);
        if (next == null) {
            return false;
        }
        send(socket, next);
        return true;
    }

    /** Handles one inbox item; {@code true} when it shows the primary is alive. */
    private boolean handle(WebSocket socket, LinkInbox.Item item) throws IOException, InterruptedException {
        switch (item) {
            case LinkInbox.Wake wake -> {
                return false;
            }
            case LinkInbox.Frame frame when frame.socket() == socket -> {
                onFrame(socket, frame.text());
                return true;
            }
            case LinkInbox.Heard heard when heard.socket() == socket -> {
                return true;
            }
            case LinkInbox.Closed closed when closed.socket() == socket ->
                    throw new IOException("the primary closed the link (" + closed.code() + " " + closed.reason() + ")");
            case LinkInbox.Failed failed when failed.socket() == socket ->
                    throw new IOException("the link failed: " + failed.error(), failed.error());
            default -> {
                return false; // a late word from an earlier connection
            }
        }
    }

    private void onFrame(WebSocket socket, String text) throws IOException, InterruptedException {
        Map<String, Object> frame;
        try {
            frame = Json.read(text);
        } catch (IllegalArgumentException e) {
            complain(socket, "malformed", e.getMessage());
            return;
        }
        String type = Frames.text(frame, "type");
        try {
            switch (type == null ? "" : type) {
                case "welcome" -> welcome(frame);
                case "error" -> error(frame);
                case "run" -> dispatcher.run(frame);
                case "cancel" -> dispatcher.cancel(frame);
                case "message" -> dispatcher.message(frame);
                case "poll" -> send(socket, Json.frame("status", "pollId", frame.get("pollId"),
                        "runs", reports.snapshots()));
                case "resend" -> resend(frame);
                case "ack" -> ack(frame);
                case "heartbeat" -> { }
                case "child-started", "child-refused" -> children.answer(frame);
                case "coord-answer" -> coordination.answer(frame);
                case "approved" -> LOG.log(System.Logger.Level.INFO, "approved by the primary: runs may come now");
                default -> complain(socket, "unknown-type", "unknown frame type '" + type + "'");
            }
        } catch (IllegalArgumentException e) {
            complain(socket, "malformed", "bad '" + type + "' frame: " + e.getMessage());
        }
    }

    private void welcome(Map<String, Object> frame) throws IOException {
        String issued = Frames.text(frame, "credential");
        if (issued != null && !issued.isBlank()) {
            credential.write(issued);
            LOG.log(System.Logger.Level.INFO, "joined: credential stored in " + credential.path());
        }
        Number beat = Frames.number(frame, "heartbeatMs");
        if (config.heartbeat() == null && beat != null && beat.longValue() > 0) {
            heartbeatMs = beat.longValue();
        }
        if (frame.get("limits") instanceof Map<?, ?> given) {
            limits.adopt(whole(given.get("eventBytes")), whole(given.get("eventsPerSecond")));
        }
        if (linked.trust() != null) {
            linked.trust().joined();
        }
        joined = true;
        roster.joined();
        backoff.reset();
        coordination.rejoined();
        String state = Frames.text(frame, "state");
        LOG.log(System.Logger.Level.INFO, "welcomed by the primary as " + Frames.text(frame, "name")
                + ("pending".equals(state) ? " (pending: waiting for an admin to approve this node)" : ""));
    }

    /** A limit from the welcome; anything but a whole number of 0 or more is no limit (0). */
    private static int whole(Object value) {
        return value instanceof Number n && n.longValue() >= 0 && n.longValue() <= Integer.MAX_VALUE ? n.intValue() : 0;
    }

    private void error(Map<String, Object> frame) {
        String code = Frames.text(frame, "code");
        String message = Frames.text(frame, "message");
        if ("unauthorized".equals(code) || "revoked".equals(code)) {
            String why = message == null ? "no reason given" : message;
            if (withCredential) {
                // the primary cannot know that a join token alone does not help while the credential file is there
                why += " (this agent used its stored credential " + credential.path() + ": if an admin revoked this "
                        + "node, delete that file and start the agent with --join-token to join again)";
            }
            throw new AgentRefusedException(code, why);
        }
        LOG.log(System.Logger.Level.WARNING, "the primary reports an error (" + code + "): " + message);
    }

    private void ack(Map<String, Object> frame) throws IOException {
        String id = Frames.text(frame, "id");
        Number seq = Frames.number(frame, "seq");
        if (id == null || seq == null) {
            throw new IllegalArgumentException("an ack needs an id and a seq");
        }
        outbox.ack(id, seq.longValue());
    }

    private void resend(Map<String, Object> frame) {
        String id = Frames.text(frame, "id");
        Number after = Frames.number(frame, "after");
        if (id == null) {
            throw new IllegalArgumentException("a resend needs an id");
        }
        if (!outbox.resend(id, after == null ? 0 : after.longValue())) {
            LOG.log(System.Logger.Level.DEBUG, "resend of run " + id + ": nothing held");
        }
    }

    private void complain(WebSocket socket, String code, String message) throws IOException, InterruptedException {
        LOG.log(System.Logger.Level.WARNING, "bad frame from the primary (" + code + "): " + message);
        send(socket, Json.frame("error", "code", code, "message", message));
    }

    private void send(WebSocket socket, Map<String, Object> frame) throws IOException, InterruptedException {
        send(socket, Json.write(frame));
    }

    private void send(WebSocket socket, String text) throws IOException, InterruptedException {
        try {
            socket.sendText(text, true).get(SEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("cannot send: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("a send took longer than " + SEND_TIMEOUT_MS + " ms");
        }
    }

    private void ping(WebSocket socket) throws IOException, InterruptedException {
        try {
            socket.sendPing(ByteBuffer.allocate(0)).get(SEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot ping the primary: " + e, e);
        }
    }

    private static void closeQuietly(WebSocket socket) {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "agent stopping").get(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // closing anyway
        }
    }
}
