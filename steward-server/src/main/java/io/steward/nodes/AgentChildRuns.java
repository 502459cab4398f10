package io.steward.nodes;

import io.steward.coordinator.Coordinator;
import io.steward.coordinator.InvokeRefusedException;
import io.steward.coordinator.InvokeRequest;
import io.steward.coordinator.LauncherUnavailableException;
import io.steward.coordinator.RunHandle;
import io.steward.coordinator.RunSnapshot;
import io.steward.engine.ScriptCompileException;
import io.steward.engine.ScriptNotFoundException;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Starts the child runs that processes of runs on agents ask for ({@code steward run} inside such a process): the
 * agent checked the process's run token and sends a {@code child} frame; the child runs on the primary, as any
 * {@code steward run} does, with the agent's run as its parent (docs/agent-protocol.md, "Child runs from processes").
 *
 * <p>The primary trusts the agent for its own runs only: a parent that is not a live run of the asking agent is
 * refused. The answer goes back on the same link as {@code child-started} or {@code child-refused}; with
 * {@code waitMs} it goes when the child has ended (or the wait is over), like {@code POST /runs?wait=}.
 */
public final class AgentChildRuns {
    private static final Duration MAX_WAIT = Duration.ofHours(1);

    private final RemoteRuns runs;
    private final Supplier<Coordinator> coordinator;

    public AgentChildRuns(RemoteRuns runs, Supplier<Coordinator> coordinator) {
        this.runs = runs;
        this.coordinator = coordinator;
    }

    /** Handles one {@code child} frame; never blocks the link's thread (compiling and waiting happen elsewhere). */
    void start(AgentSession session, Map<String, Object> frame) {
        Object requestId = frame.get("requestId");
        String parent = (String) frame.get("parent");
        String script = (String) frame.get("script");
        if (requestId == null || parent == null || script == null) {
            throw new IllegalArgumentException("a child frame needs requestId, parent and script");
        }
        Optional<Map<String, Object>> live = runs.snapshot(parent);
        if (live.isEmpty() || !session.name().equals(live.get().get("node"))) {
            session.send(refused(requestId, 409, "run " + parent + " is not a running run of node " + session.name()
                    + ": child runs are started for running runs only"));
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> args = frame.get("args") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        int version = frame.get("version") instanceof Number n ? n.intValue() : 0;
        Duration timeout = frame.get("timeoutMs") instanceof Number n ? Duration.ofMillis(n.longValue()) : null;
        Duration wait = frame.get("waitMs") instanceof Number n ? Duration.ofMillis(Math.min(n.longValue(), MAX_WAIT.toMillis())) : null;
        InvokeRequest request = new InvokeRequest(script, version, args, timeout, "run:" + parent).withParent(parent);
        Thread.ofVirtual().name("agent-child-of-" + parent).start(() -> session.send(invoke(requestId, request, wait)));
    }

    private Map<String, Object> invoke(Object requestId, InvokeRequest request, Duration wait) {
        try {
            RunHandle child = coordinator.get().invoke(request);
            RunSnapshot answer = wait == null ? child.snapshot() : child.await(wait);
            Map<String, Object> frame = new LinkedHashMap<>();
            frame.put("type", "child-started");
            frame.put("requestId", requestId);
            frame.put("run", answer.toMap());
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return refused(requestId, 503, "the primary is shutting down");
        } catch (ScriptNotFoundException e) {
            return refused(requestId, 404, e.getMessage());
        } catch (ScriptCompileException e) {
            return refused(requestId, 400, "the script does not compile: " + e.error());
        } catch (InvokeRefusedException e) {
            return refused(requestId, 422, e.getMessage());
        } catch (LauncherUnavailableException e) {
            return refused(requestId, 503, e.getMessage());
        } catch (IllegalArgumentException e) {
            return refused(requestId, 400, e.getMessage());
        } catch (RuntimeException e) {
            return refused(requestId, 500, "the primary could not start the child run: " + e.getMessage());
        }
    }

    private static Map<String, Object> refused(Object requestId, int status, String message) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "child-refused");
        frame.put("requestId", requestId);
        frame.put("status", status);
        frame.put("message", message);
        return frame;
    }
}
