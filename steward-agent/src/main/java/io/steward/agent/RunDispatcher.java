package io.steward.agent;

import io.steward.coordinator.Coordinator;
import io.steward.coordinator.InvokeRequest;
import io.steward.engine.ScriptNames;
import io.steward.engine.ScriptText;
import io.steward.files.ConfinedDirectory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Turns the primary's {@code run}, {@code cancel} and {@code message} frames into calls on the agent's coordinator.
 *
 * <p>A run starts on a virtual thread of its own, because compiling a script can take a while and the link's
 * thread must keep reading acks and answering polls meanwhile. A run id is started at most once ({@link StartedRuns}):
 * a primary that sends the same {@code run} again after a reconnect must not get a {@code refused} for a run that is
 * going fine.
 *
 * <p>{@code message} frames go to {@link RunMessages}, which learns from here whether their run is still starting.
 */
final class RunDispatcher {
    private static final System.Logger LOG = System.getLogger(RunDispatcher.class.getName());
    private static final int MAX_ID = 64;
    private static final java.util.regex.Pattern RUN_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1," + MAX_ID + "}");

    private final Coordinator coordinator;
    private final ReceivedScripts scripts;
    private final Consumer<Map<String, Object>> control;
    private final StartedRuns started;
    /** Runs between their {@code run} frame and the end of {@code coordinator.invoke}. */
    private final Map<String, CompletableFuture<Void>> starting = new ConcurrentHashMap<>();
    private final RunMessages messages;
    private final java.util.Set<String> extensions;

    /** {@code control} queues a frame for the link to send (it never blocks). */
    RunDispatcher(Coordinator coordinator, String node, ReceivedScripts scripts, StartedRuns started,
                  Consumer<Map<String, Object>> control) {
        this.coordinator = coordinator;
        this.started = started;
        this.scripts = scripts;
        this.control = control;
        this.messages = new RunMessages(coordinator, node, control, starting::get);
        this.extensions = coordinator.engine().extensions();
    }

    void run(Map<String, Object> frame) {
        String id = Frames.text(frame, "id");
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a run needs an id");
        }
        if (!RUN_ID.matcher(id).matches()) {
            // the id names the run's files in the outbox: nothing but a plain file name may be one
            throw new IllegalArgumentException("the run id '" + ConfinedDirectory.printable(id) + "' is refused: "
                    + "a run id is 1 to " + MAX_ID + " letters, digits, '_' or '-'");
        }
        if (!started.claim(id) || coordinator.snapshot(id).isPresent()) {
            LOG.log(System.Logger.Level.DEBUG, "run " + id + " was already started here; ignoring it");
            return;
        }
        InvokeRequest request;
        try {
            scripts.add(scriptsOf(frame));
            request = request(frame).withId(id).withParent(Frames.text(frame, "parent"));
        } catch (RuntimeException e) {
            refuse(id, e);
            return;
        }
        CompletableFuture<Void> startDone = new CompletableFuture<>();
        starting.put(id, startDone);
        Thread.ofVirtual().name("agent-start-" + id).start(() -> {
            try {
                start(id, request);
            } finally {
                starting.remove(id);
                startDone.complete(null);
            }
        });
    }

    void message(Map<String, Object> frame) {
        messages.accept(frame);
    }

    void cancel(Map<String, Object> frame) {
        String id = Frames.text(frame, "id");
        if (id == null || !coordinator.cancel(id, Frames.text(frame, "reason"))) {
            LOG.log(System.Logger.Level.DEBUG, "cancel of run " + id + ": not running here");
        }
    }

    private void start(String id, InvokeRequest request) {
        try {
            coordinator.invoke(request);
            LOG.log(System.Logger.Level.INFO, "run " + id + " of " + request.script() + " started");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refuse(id, new IllegalStateException("the agent is shutting down"));
        } catch (RuntimeException e) {
            refuse(id, e);
        }
    }

    private void refuse(String id, RuntimeException why) {
        String message = why.getMessage() != null ? why.getMessage() : why.getClass().getSimpleName();
        LOG.log(System.Logger.Level.WARNING, "run " + id + " refused: " + message);
        started.finished(id);
        control.accept(Json.frame("refused", "id", id, "message", message));
    }

    private static InvokeRequest request(Map<String, Object> frame) {
        String script = Frames.text(frame, "script");
        if (script == null) {
            throw new IllegalArgumentException("a run needs a script");
        }
        Number version = Frames.number(frame, "version");
        Number timeoutMs = Frames.number(frame, "timeoutMs");
        return new InvokeRequest(script, version == null ? 0 : version.intValue(), Frames.object(frame, "args"),
                timeoutMs == null ? null : Duration.ofMillis(timeoutMs.longValue()), Frames.text(frame, "invoker"))
                .withSecretArgs(Frames.object(frame, "secretArgs"));
    }

    /**
     * The scripts that came with the run, their names held to the same rules as everywhere else: they are looked
     * up by {@code include} on this agent, and a name the primary would never store is a sign of a forged frame.
     */
    private List<ScriptText> scriptsOf(Map<String, Object> frame) {
        List<ScriptText> texts = new ArrayList<>();
        if (frame.get("scripts") instanceof List<?> list) {
            for (Object item : list) {
                if (!(item instanceof Map<?, ?> entry) || !(entry.get("name") instanceof String name)
                        || !(entry.get("source") instanceof String source)) {
                    throw new IllegalArgumentException("each of a run's scripts needs a name and a source");
                }
                ScriptNames.check(name, extensions);
                ConfinedDirectory.checkName(name);
                int version = entry.get("version") instanceof Number n ? n.intValue() : 0;
                texts.add(new ScriptText(name, version, source));
            }
        }
        return texts;
    }
}
