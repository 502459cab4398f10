package io.steward.nodes;

import io.steward.coordination.Journal;
import io.steward.coordination.Coordination;
import io.steward.coordination.Owner;
import io.steward.coordination.Pools;
import io.steward.coordination.Semaphores;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The primary's side of coordination for runs on agents: {@code coord} frames (an operation of {@code vars},
 * {@code lock}, {@code event}, {@code queue} or {@code pool} by a script thread of a run on the agent) are carried
 * out on the primary's {@link Coordination} (its own, or the one its database shares with other primaries) and answered with {@code coord-answer} (docs/agent-protocol.md,
 * "Coordination").
 *
 * <p>An agent may act only for its own live runs, as with child runs. Operations that may wait run on threads of
 * their own; all others are done as their frames arrive, so that what one script thread did in order (a release,
 * then the next acquire) reaches the state in that order. Each request is carried out once: the agent
 * repeats a request whose answer a link cut may have swallowed, with the same {@code requestId}, and gets the first
 * answer again (a lock granted once is not granted twice). Holds are named to the agent by a token; a release names
 * the token and may come more than once. Whatever a run holds is released when the run ends here, however it ends —
 * LOST included, when its agent vanished — so a link that never comes back cannot keep a lock.
 */
public final class AgentCoordination {
    /** The operations that may wait, each on a thread of its own; the rest are done at once, in the link's order. */
    private static final java.util.Set<String> WAITS = java.util.Set.of("acquire", "awaitEvent", "take", "acquireEntry");

    /** How long an answer is kept for a repeated request. */
    private static final Duration REMEMBER = Duration.ofMinutes(10);

    private final Coordination coordination;
    private final RemoteRuns runs;
    private final Map<String, Remembered> answers = new ConcurrentHashMap<>();
    private final Map<String, Object> holds = new ConcurrentHashMap<>();

    private record Remembered(CompletableFuture<Map<String, Object>> answer, long at) {
    }

    public AgentCoordination(Coordination coordination, RemoteRuns runs) {
        this.coordination = coordination;
        this.runs = runs;
        runs.onFinished(this::runEnded);
    }

    /** A run on an agent ended (or was lost): it keeps nothing. */
    private void runEnded(String runId) {
        coordination.runEnded(runId);
        holds.entrySet().removeIf(e -> e.getKey().startsWith(runId + "/"));
    }

    /** Handles one {@code coord} frame; never blocks the link's thread. */
    void handle(AgentSession session, Map<String, Object> frame) {
        if (!(frame.get("requestId") instanceof Number id) || !(frame.get("op") instanceof String op)
                || !(frame.get("run") instanceof String run)) {
            throw new IllegalArgumentException("a coord frame needs requestId, op and run");
        }
        String key = session.name() + "/" + id.longValue();
        forgetOld();
        CompletableFuture<Map<String, Object>> fresh = new CompletableFuture<>();
        Remembered earlier = answers.putIfAbsent(key, new Remembered(fresh, System.currentTimeMillis()));
        CompletableFuture<Map<String, Object>> answer = earlier == null ? fresh : earlier.answer();
        // a repeat waits for the first one's answer and gets the same
        answer.thenAccept(session::send);
        if (earlier != null) {
            return;
        }
        if (WAITS.contains(op)) {
            Thread.ofVirtual().name("agent-coord-" + op).start(() -> fresh.complete(answer(id.longValue(), session.name(), run, op, frame)));
        } else {
            // In the link's order: a release must land before the same thread's next acquire, sent after it.
            fresh.complete(answer(id.longValue(), session.name(), run, op, frame));
        }
    }

    private void forgetOld() {
        long before = System.currentTimeMillis() - REMEMBER.toMillis();
        answers.entrySet().removeIf(e -> e.getValue().at() < before && e.getValue().answer().isDone());
    }

    private Map<String, Object> answer(long requestId, String node, String run, String op, Map<String, Object> frame) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "coord-answer");
        out.put("requestId", requestId);
        try {
            boolean release = op.equals("release") || op.equals("releaseEntry");
            Map<String, Object> live = runs.snapshot(run).orElse(null);
            if (!release && (live == null || !node.equals(live.get("node")))) {
                return refused(out, 409, "run " + run + " is not a running run of node " + node
                        + ": only a node's own running runs may lock, wait or share");
            }
            out.put("ok", true);
            out.put("value", perform(node, run, op, frame));
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return refused(out, 503, "the primary is shutting down");
        } catch (IllegalArgumentException e) {
            return refused(out, 400, e.getMessage());
        } catch (IllegalStateException e) {
            return refused(out, 409, e.getMessage());
        } catch (RuntimeException e) {
            return refused(out, 500, "the primary could not do '" + op + "': " + e.getMessage());
        }
    }

    private static Map<String, Object> refused(Map<String, Object> out, int status, String message) {
        out.put("ok", false);
        out.put("status", status);
        out.put("message", message);
        return out;
    }

    @SuppressWarnings("unchecked")
    private Object perform(String node, String run, String op, Map<String, Object> f) throws InterruptedException {
        Owner owner = new Owner(run, node, (String) f.get("thread"));
        return switch (op) {
            case "getVar" -> var(coordination.getVar(text(f, "scope"), text(f, "name")));
            case "putVar" -> var(coordination.putVar(text(f, "scope"), text(f, "name"), f.get("value"), number(f, "ttlMs")));
            case "casVar" -> var(coordination.compareAndSetVar(text(f, "scope"), text(f, "name"), f.get("expected"),
                    f.get("value"), number(f, "ttlMs")));
            case "removeVar" -> coordination.removeVar(text(f, "scope"), text(f, "name"));
            case "varNames" -> coordination.varNames(text(f, "scope"));
            case "acquire" -> {
                Semaphores.Hold hold = coordination.acquire(text(f, "name"), (int) number(f, "permits"), owner, number(f, "timeoutMs"));
                yield hold == null ? null : token(run, "s" + hold.id(), hold);
            }
            case "release", "releaseEntry" -> {
                Object hold = holds.remove(run + "/" + text(f, "hold"));
                if (hold instanceof Semaphores.Hold h) {
                    coordination.release(h);
                } else if (hold instanceof Pools.PoolHold h) {
                    coordination.release(h);
                }
                yield true; // a repeated release, or one after the run ended, has nothing left to do
            }
            case "holders" -> coordination.holders(text(f, "name"));
            case "post" -> {
                coordination.post(text(f, "name"));
                yield true;
            }
            case "reset" -> {
                coordination.reset(text(f, "name"));
                yield true;
            }
            case "pulse" -> coordination.pulse(text(f, "name"));
            case "isPosted" -> coordination.isPosted(text(f, "name"));
            case "awaitEvent" -> coordination.awaitEvent(text(f, "name"), owner, number(f, "timeoutMs"));
            case "put" -> coordination.put(text(f, "name"), f.get("value"));
            case "take" -> {
                Journal.StoredMessage m = coordination.take(text(f, "name"), owner, number(f, "timeoutMs"));
                if (m == null) {
                    yield null;
                }
                Map<String, Object> message = new LinkedHashMap<>();
                message.put("id", m.id());
                message.put("value", m.value());
                yield message;
            }
            case "depth" -> coordination.depth(text(f, "name"));
            case "acquireEntry" -> {
                Pools.PoolHold hold = coordination.acquireEntry(text(f, "name"), owner, number(f, "timeoutMs"),
                        (int) number(f, "priority"));
                yield hold == null ? null : token(run, "p" + hold.pool() + "/" + hold.entry() + "/" + hold.since(), hold);
            }
            case "poolEntries" -> coordination.poolEntries(text(f, "name"));
            default -> throw new IllegalArgumentException("unknown coordination operation '" + op + "'");
        };
    }

    private Map<String, Object> token(String run, String token, Object hold) {
        holds.put(run + "/" + token, hold);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hold", token);
        if (hold instanceof Pools.PoolHold h) {
            out.put("entry", h.entry());
            out.put("value", h.value());
            out.put("since", h.since());
        } else if (hold instanceof Semaphores.Hold h) {
            out.put("since", h.since());
        }
        return out;
    }

    private static Map<String, Object> var(Journal.StoredVar v) {
        if (v == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scope", v.scope());
        out.put("name", v.name());
        out.put("value", v.value());
        out.put("version", v.version());
        out.put("expiresAt", v.expiresAt());
        return out;
    }

    private static String text(Map<String, Object> f, String key) {
        return f.get(key) instanceof String s ? s : null;
    }

    private static long number(Map<String, Object> f, String key) {
        return f.get(key) instanceof Number n ? n.longValue() : 0;
    }
}
