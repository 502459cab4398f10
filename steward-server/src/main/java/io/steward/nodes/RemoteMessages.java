package io.steward.nodes;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Messages into runs on agents (claims 34–35): each goes over the agent's link as a {@code message} frame with an id
 * of its own, and the caller waits, briefly and at most {@link #CONFIRM_WITHIN}, for the agent's {@code delivered} or
 * {@code undeliverable} answer. Only a {@code delivered} answer means the run has the message; so nothing is ever
 * acknowledged to a client that the run may not have.
 *
 * <p>A link that breaks while a message waits for its answer is not the end of it: when the agent is back within
 * the wait, the same frame goes out again on the new link. The agent delivers each message id once and answers a
 * repeat with its first answer, so the run gets the message exactly once either way.
 *
 * <p>The trap: a message that left on a link but was not confirmed within the wait may or may not have reached the
 * run, and the answer says so rather than claiming it was lost. A message that never left (no link, the send
 * failed) certainly did not. A late answer for a message given up on is ignored.
 */
public final class RemoteMessages {
    /** How long a client waits for the agent's answer: a healthy link answers in milliseconds. */
    public static final Duration CONFIRM_WITHIN = Duration.ofSeconds(5);
    private static final System.Logger LOG = System.getLogger(RemoteMessages.class.getName());

    /** What became of a message. */
    public sealed interface Delivery permits Delivered, Refused, Unreachable {
    }

    /** The run has it: it is the run's event {@code seq}. */
    public record Delivered(long seq) implements Delivery {
    }

    /** The agent refused it: the run has ended, is stopping, or is not there. */
    public record Refused(String message) implements Delivery {
    }

    /** The agent could not be asked, or did not answer; {@code message} says which, and whether it may have arrived. */
    public record Unreachable(String message) implements Delivery {
    }

    /** A message waiting for its answer. Guarded by its own monitor. */
    private static final class Pending {
        final String node;
        final Map<String, Object> frame;
        final CompletableFuture<Delivery> answer = new CompletableFuture<>();
        /** The link it last went out on; {@code null} while the node has none. */
        AgentSession link;
        boolean linkLost;

        Pending(String node, Map<String, Object> frame, AgentSession link) {
            this.node = node;
            this.frame = frame;
            this.link = link;
        }
    }

    private final Nodes nodes;
    private final Duration confirmWithin;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    public RemoteMessages(Nodes nodes) {
        this(nodes, CONFIRM_WITHIN);
    }

    RemoteMessages(Nodes nodes, Duration confirmWithin) {
        this.nodes = nodes;
        this.confirmWithin = confirmWithin;
    }

    /** Sends a message to run {@code runId} on agent {@code node} and waits for the agent's answer (bounded). */
    public Delivery send(String runId, String node, Object message) throws InterruptedException {
        AgentSession link = nodes.link(node).orElse(null);
        if (link == null || !link.open()) {
            return offline(node);
        }
        String messageId = UUID.randomUUID().toString();
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "message");
        frame.put("id", runId);
        frame.put("messageId", messageId);
        frame.put("message", message);
        Pending waiting = new Pending(node, frame, link);
        pending.put(messageId, waiting);
        try {
            // The send itself counts against the bound: a link that is stuck mid-send may hold it for 30 s.
            long deadline = System.nanoTime() + confirmWithin.toNanos();
            CompletableFuture<Boolean> sent = CompletableFuture.supplyAsync(() -> link.send(frame),
                    task -> Thread.ofVirtual().name("message-" + messageId).start(task));
            if (!sent.get(confirmWithin.toNanos(), TimeUnit.NANOSECONDS)) {
                synchronized (waiting) {
                    if (waiting.link == link) {
                        return offline(node); // it never left, and no new link has taken it since
                    }
                }
            }
            return waiting.answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            synchronized (waiting) {
                return unconfirmed(node, waiting.linkLost
                        ? "lost its link and did not confirm the message within " + confirmWithin.toSeconds() + "s"
                        : "did not confirm the message within " + confirmWithin.toSeconds() + "s");
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("the message to node " + node + " could not be sent", e.getCause());
        } finally {
            pending.remove(messageId);
        }
    }

    /** An agent's {@code delivered} or {@code undeliverable} frame. */
    void answered(AgentSession from, Map<String, Object> frame) {
        String messageId = (String) frame.get("messageId");
        if (messageId == null) {
            throw new IllegalArgumentException("a message answer needs its messageId");
        }
        Pending waiting = pending.get(messageId);
        if (waiting == null || !waiting.node.equals(from.name())) {
            LOG.log(System.Logger.Level.DEBUG, "answer for message {0} from {1}: no one is waiting for it",
                    messageId, from.name());
            return;
        }
        if ("delivered".equals(frame.get("type"))) {
            waiting.answer.complete(new Delivered(((Number) frame.get("seq")).longValue()));
        } else {
            Object reason = frame.get("reason");
            waiting.answer.complete(new Refused(reason instanceof String s && !s.isBlank() ? s
                    : "node " + from.name() + " refused the message without a reason"));
        }
    }

    /** A link closed: its messages wait for the agent's next link, until their callers give up. */
    void closed(AgentSession link) {
        for (Pending waiting : pending.values()) {
            synchronized (waiting) {
                if (waiting.link == link) {
                    waiting.link = null;
                    waiting.linkLost = true;
                }
            }
        }
    }

    /** An agent joined (again): the messages that lost their link go out once more on this one. */
    void joined(AgentSession link) {
        for (Pending waiting : pending.values()) {
            synchronized (waiting) {
                if (!waiting.node.equals(link.name()) || waiting.link == link
                        || (waiting.link != null && waiting.link.open())) {
                    continue;
                }
                waiting.link = link;
            }
            LOG.log(System.Logger.Level.DEBUG, "sending message {0} again to {1} on its new link",
                    waiting.frame.get("messageId"), link.name());
            Thread.ofVirtual().name("message-again-" + waiting.frame.get("messageId")).start(() -> link.send(waiting.frame));
        }
    }

    private static Unreachable offline(String node) {
        return new Unreachable("node " + node + " is offline: the message was not delivered; retry when it is back"
                + " (`steward nodes` shows its state)");
    }

    private static Unreachable unconfirmed(String node, String what) {
        return new Unreachable("node " + node + " " + what + ": it may not have been delivered; if it was, the run's"
                + " events (GET /api/v1/runs/{id}/events) show it as a 'message' event once the node is back;"
                + " check them before sending it again");
    }
}
