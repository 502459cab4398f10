package io.steward.agent;

import io.steward.coordinator.Coordinator;
import io.steward.coordinator.RunEndedException;
import io.steward.coordinator.RunNotFoundException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The primary's {@code message} frames: each is put into its run's inbox and answered {@code delivered} (with the
 * seq of the run's {@code message} event) or {@code undeliverable} (with the reason a client will read).
 *
 * <p>Exactly once per {@code messageId}: the primary sends a message again on a new link when the old one broke
 * before the answer came, and the run may already have it. So the answer to each recent id is remembered, and a
 * repeat gets that answer again instead of a second delivery; a repeat that comes while the first is still waiting
 * for its run to start is dropped, as the first's answer will do for both.
 */
final class RunMessages {
    private static final System.Logger LOG = System.getLogger(RunMessages.class.getName());
    /** Far more than can be in flight within the primary's few seconds of waiting. */
    private static final int REMEMBERED = 4096;
    /** The answer of a message still waiting for its run to start; a marker, compared by identity. */
    private static final Map<String, Object> IN_FLIGHT = Map.of();

    private final Coordinator coordinator;
    private final String node;
    private final Consumer<Map<String, Object>> control;
    private final Function<String, CompletableFuture<Void>> starting;
    private final Map<String, Map<String, Object>> answers = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Object>> eldest) {
            return size() > REMEMBERED;
        }
    };

    /**
     * @param control  queues a frame for the link to send (never blocks)
     * @param starting the start of a run that is still starting, else {@code null}
     */
    RunMessages(Coordinator coordinator, String node, Consumer<Map<String, Object>> control,
                Function<String, CompletableFuture<Void>> starting) {
        this.coordinator = coordinator;
        this.node = node;
        this.control = control;
        this.starting = starting;
    }

    void accept(Map<String, Object> frame) {
        String id = Frames.text(frame, "id");
        String messageId = Frames.text(frame, "messageId");
        if (id == null || messageId == null || !frame.containsKey("message")) {
            throw new IllegalArgumentException("a message needs an id, a messageId and a message");
        }
        Map<String, Object> earlier;
        synchronized (answers) {
            earlier = answers.putIfAbsent(messageId, IN_FLIGHT);
        }
        if (earlier != null) {
            LOG.log(System.Logger.Level.DEBUG, "message " + messageId + " came again; not delivering it twice");
            if (earlier != IN_FLIGHT) {
                control.accept(earlier);
            }
            return;
        }
        Object message = frame.get("message");
        CompletableFuture<Void> start = starting.apply(id);
        if (start == null) {
            deliver(id, messageId, message);
        } else {
            // sent right after its run: wait for the start rather than refuse it as unknown while the script compiles
            start.thenRun(() -> deliver(id, messageId, message));
        }
    }

    private void deliver(String id, String messageId, Object message) {
        Map<String, Object> answer;
        try {
            long seq = coordinator.send(id, message);
            answer = Json.frame("delivered", "messageId", messageId, "id", id, "seq", seq);
        } catch (RunEndedException | RunNotFoundException | IllegalArgumentException e) {
            String reason = e instanceof RunNotFoundException
                    ? "run " + id + " is not running on node " + node + " (it has ended, or never started there): "
                    + "messages go to running runs only"
                    : e.getMessage();
            LOG.log(System.Logger.Level.DEBUG, "message " + messageId + " to run " + id + " undeliverable: " + reason);
            answer = Json.frame("undeliverable", "messageId", messageId, "id", id, "reason", reason);
        }
        synchronized (answers) {
            answers.put(messageId, answer);
        }
        control.accept(answer);
    }
}
