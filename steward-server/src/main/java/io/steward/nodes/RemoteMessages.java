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
 * <p>The trap: a message that left on the link but was not confirmed (the link dropped, or no answer came in time)
 * may or may not have reached the run, and the answer says so rather than claiming it was lost. A message that never
 * left (no link, the send failed) certainly did not. A late answer for a message given up on is ignored.
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

    private record Pending(AgentSession link, CompletableFuture<Delivery> answer) {
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
        CompletableFuture<Delivery> answer = new CompletableFuture<>();
        pending.put(messageId, new Pending(link, answer));
        try {
            Map<String, Object> frame = new LinkedHashMap<>();
            frame.put("type", "message");
            frame.put("id", runId);
            frame.put("messageId", messageId);
            frame.put("message", message);
            // The send itself counts against the bound: a link that is stuck mid-send may hold it for 30 s.
            long deadline = System.nanoTime() + confirmWithin.toNanos();
            CompletableFuture<Boolean> sent = CompletableFuture.supplyAsync(() -> link.send(frame),
                    task -> Thread.ofVirtual().name("message-" + messageId).start(task));
            if (!sent.get(confirmWithin.toNanos(), TimeUnit.NANOSECONDS)) {
                return offline(node);
            }
            return answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return unconfirmed(node, "did not confirm it within " + confirmWithin.toSeconds() + "s");
        } catch (ExecutionException e) {
            throw new IllegalStateException("the answer of node " + node + " could not be read", e.getCause());
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
        // Only the link the message went out on may answer it; anything else is late or foreign.
        if (waiting == null || waiting.link != from) {
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

    /** A link closed: whoever waits on it hears at once instead of at the end of their wait. */
    void closed(AgentSession link) {
        pending.values().removeIf(p -> {
            if (p.link != link) {
                return false;
            }
            p.answer.complete(unconfirmed(link.name(), "lost its link before confirming it"));
            return true;
        });
    }

    private static Unreachable offline(String node) {
        return new Unreachable("node " + node + " is offline: the message was not delivered; retry when it is back"
                + " (`steward nodes` shows its state)");
    }

    private static Unreachable unconfirmed(String node, String what) {
        return new Unreachable("node " + node + " " + what + ": the message may not have been delivered; if it was,"
                + " the run's events (GET /api/v1/runs/{id}/events) show it as a 'message' event once the node is back;"
                + " check them before sending it again");
    }
}
