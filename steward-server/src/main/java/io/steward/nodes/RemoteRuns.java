package io.steward.nodes;

import io.steward.coordinator.RunEvent;
import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import io.steward.engine.ScriptError;
import io.steward.store.Store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Child runs that execute on agents, as the primary keeps them (claims 6–11): their latest snapshot for clients,
 * and their events written into the store exactly once and in order — an agent replays what was not acknowledged
 * after every reconnect, so anything at or below the highest sequence number already held is dropped, and a hole
 * is asked for again ({@code resend}) rather than papered over.
 */
public final class RemoteRuns {
    private static final System.Logger LOG = System.getLogger(RemoteRuns.class.getName());

    /** One child run on an agent. Guarded by its own monitor. */
    static final class RemoteRun {
        final String id;
        final String node;
        final CompletableFuture<RunSnapshot> done = new CompletableFuture<>();
        RunSnapshot latest;
        long received;
        long acked;
        boolean ended;
        /** Whether the agent has been told, after the end, that everything is held (so it can forget the run). */
        boolean endAcked;

        RemoteRun(String id, String node, RunSnapshot latest, long received) {
            this.id = id;
            this.node = node;
            this.latest = latest;
            this.received = received;
        }
    }

    private final Store store;
    private final Nodes nodes;
    private final io.steward.coordinator.EventLimits limits;
    private final Map<String, RemoteRun> runs = new ConcurrentHashMap<>();
    private final List<java.util.function.Consumer<String>> finished = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param limits the primary's event limits, which agents are told to keep: an agent's event over the size limit
     *               all the same (an agent that does not keep them) is stored as a note of the refusal in its place
     */
    public RemoteRuns(Store store, Nodes nodes, io.steward.coordinator.EventLimits limits) {
        this.limits = limits;
        this.store = store;
        this.nodes = nodes;
        nodes.runningOn(node -> (int) runs.values().stream().filter(r -> r.node.equals(node) && !r.ended).count());
    }

    /** Records a child about to be sent to {@code node}: it exists (QUEUED) before the agent has even seen it. */
    RemoteRun register(RunSnapshot queued) {
        RemoteRun run = new RemoteRun(queued.id(), queued.node(), queued, 0);
        runs.put(run.id, run);
        store.writer().runCreated(queued);
        return run;
    }

    /** The live view of a child on an agent, while it runs; the store answers once it has ended. */
    public Optional<Map<String, Object>> snapshot(String id) {
        RemoteRun run = runs.get(id);
        if (run == null) {
            return Optional.empty();
        }
        synchronized (run) {
            return run.ended ? Optional.empty() : Optional.of(run.latest.toMap());
        }
    }

    /**
     * Asks the agent to cancel a child; false when the child is unknown here or over. The agent runs the script's
     * {@code onCancel} handlers within its cancel grace before it stops the run, so the child ends a little later.
     *
     * @throws NodeOfflineException when the agent has no link to take the cancel: nothing was asked of it
     */
    public boolean cancel(String id, String reason) {
        RemoteRun run = runs.get(id);
        if (run == null || run.ended) {
            return false;
        }
        if (!nodes.link(run.node).map(link -> link.send(Map.of("type", "cancel", "id", id, "reason", reason))).orElse(false)) {
            throw new NodeOfflineException(run.node, "node " + run.node + " is offline: run " + id
                    + " was not cancelled and goes on there; retry when the node is back (`steward nodes` shows its state)");
        }
        return true;
    }

    /**
     * A run an agent reports that this process did not send (it was sent before a restart of the primary). Only a
     * run the store holds as sent to that very node, and not over (or LOST, whose real end may still come), is
     * adopted: an agent may not make up runs, nor report on another node's.
     */
    private RemoteRun adopt(AgentSession from, String id) {
        RemoteRun held = id == null ? null : runs.get(id);
        if (held != null) {
            if (!held.node.equals(from.name())) {
                throw new LinkRefusedException("bad_message", "run " + id + " is not a run of node " + from.name());
            }
            return held;
        }
        var stored = id == null ? Optional.<io.steward.store.RunRecord>empty() : store.runs().get(id);
        if (stored.isEmpty() || !from.name().equals(stored.get().node())
                || (stored.get().state().isTerminal() && stored.get().state() != RunState.LOST)) {
            throw new LinkRefusedException("bad_message", "run " + id + " is not a run sent to node " + from.name()
                    + " that is still going on");
        }
        return runs.computeIfAbsent(id, k -> new RemoteRun(id, from.name(),
                RunSnapshot.fromMap(stored.get().toMap()), stored.get().lastSeq()));
    }

    void created(AgentSession from, Map<String, Object> snapshot) {
        RunSnapshot s = RunSnapshot.fromMap(snapshot);
        RemoteRun run = adopt(from, s.id());
        synchronized (run) {
            if (!run.ended) {
                run.latest = s;
            }
        }
    }

    @SuppressWarnings("unchecked")
    void events(AgentSession from, String id, List<Map<String, Object>> events) {
        RemoteRun run = adopt(from, id);
        synchronized (run) {
            for (Map<String, Object> e : events) {
                long seq = ((Number) e.get("seq")).longValue();
                if (seq <= run.received) {
                    continue; // a replay of something already held
                }
                if (seq > run.received + 1) {
                    // A hole: ask for everything after what is held; the rest of this batch comes again with it.
                    from.send(Map.of("type", "resend", "id", id, "after", run.received));
                    return;
                }
                Map<String, Object> data = e.get("data") instanceof Map<?, ?> d ? (Map<String, Object>) d : Map.of();
                if (!limits.fits(data)) {
                    // The sequence must stay without holes, so the event stays, with a note instead of its data.
                    data = Map.of("refused", "this event of the agent " + from.name() + " was larger than "
                            + limits.maxEventBytes() + " bytes, the limit for one event (steward server "
                            + "--max-event-bytes); its data was not stored", "limit", "event_bytes");
                }
                store.writer().accept(new RunEvent(id, seq, (String) e.get("kind"), time(e.get("time")), data));
                run.received = seq;
            }
        }
    }

    void ended(AgentSession from, Map<String, Object> snapshot) {
        RunSnapshot s = RunSnapshot.fromMap(snapshot);
        RemoteRun run = adopt(from, s.id());
        synchronized (run) {
            if (run.received < s.lastSeq()) {
                // Its last events are still missing: wait for them before recording the end.
                from.send(Map.of("type", "resend", "id", s.id(), "after", run.received));
                run.latest = s;
                return;
            }
            finish(run, s);
        }
    }

    /** The agent could not start the run (compile error, missing include). */
    void refused(AgentSession from, String id, String message) {
        RemoteRun run = adopt(from, id);
        synchronized (run) {
            RunSnapshot q = run.latest;
            if (q == null || run.ended) {
                return;
            }
            finish(run, ended(q, RunState.FAILED, message));
        }
    }

    /** A child that could not even be sent to its agent (the link went away): LOST, alone. */
    void unreachable(String id, String why) {
        RemoteRun run = runs.get(id);
        if (run == null) {
            return;
        }
        synchronized (run) {
            if (!run.ended) {
                finish(run, ended(run.latest, RunState.LOST, why));
            }
        }
    }

    /** A poll answer: the newest state of each child, and a resend for any that is ahead of what is held. */
    void status(AgentSession from, List<Map<String, Object>> snapshots) {
        for (Map<String, Object> m : snapshots) {
            RunSnapshot s = RunSnapshot.fromMap(m);
            RemoteRun run;
            try {
                run = adopt(from, s.id());
            } catch (LinkRefusedException e) {
                LOG.log(System.Logger.Level.WARNING, "agent {0}: {1}", from.name(), e.getMessage());
                continue; // one stranger in a poll answer does not hide the others
            }
            synchronized (run) {
                if (run.ended) {
                    continue;
                }
                run.latest = s;
                if (s.lastSeq() > run.received) {
                    from.send(Map.of("type", "resend", "id", s.id(), "after", run.received));
                } else if (s.state().isTerminal()) {
                    finish(run, s);
                }
            }
        }
    }

    /** The nodes that have children here which have not ended. */
    java.util.Set<String> busyNodes() {
        java.util.Set<String> busy = new java.util.HashSet<>();
        for (RemoteRun run : runs.values()) {
            if (!run.ended) {
                busy.add(run.node);
            }
        }
        return busy;
    }

    /** An agent gone past its grace period: its unfinished children are LOST until it comes back and says otherwise. */
    void lost(String node, String why) {
        for (RemoteRun run : runs.values()) {
            synchronized (run) {
                if (run.node.equals(node) && !run.ended && run.latest != null) {
                    finish(run, ended(run.latest, RunState.LOST, why));
                    // Keep it adoptable: a later report of its real end replaces LOST.
                    runs.remove(run.id);
                }
            }
        }
    }

    private void finish(RemoteRun run, RunSnapshot end) {
        run.ended = true;
        run.latest = end;
        store.writer().runEnded(end);
        run.done.complete(end);
        finished.forEach(l -> l.accept(end.id()));
    }

    /** Tells {@code listener} the id of each run on an agent that ends here (LOST included), after it ended. */
    void onFinished(java.util.function.Consumer<String> listener) {
        finished.add(listener);
    }

    private static RunSnapshot ended(RunSnapshot s, RunState state, String message) {
        return new RunSnapshot(s.id(), s.script(), s.version(), state, s.args(), s.shared(), s.statusValues(),
                s.progress(), List.of(), s.threadsStarted(), List.of(), s.createdAt(), s.startedAt(), Instant.now(),
                null, new ScriptError(s.script(), 0, 0, message), s.node(), s.parent(), s.children(), s.invoker(),
                s.lastSeq());
    }

    /** Acknowledges to each agent the events of its children that have become durable here. */
    void acknowledge() {
        List<String> forget = new ArrayList<>();
        for (RemoteRun run : runs.values()) {
            long durable = store.writer().durableSeq(run.id);
            long ackTo;
            synchronized (run) {
                ackTo = Math.min(durable, run.received);
                boolean finalAck = run.ended && ackTo >= run.received && !run.endAcked;
                if (ackTo <= run.acked && !finalAck) {
                    if (run.ended && run.endAcked) {
                        forget.add(run.id);
                    }
                    continue;
                }
                run.acked = ackTo;
                run.endAcked = finalAck || run.endAcked;
            }
            nodes.link(run.node).ifPresent(link -> link.send(Map.of("type", "ack", "id", run.id, "seq", ackTo)));
        }
        forget.forEach(runs::remove);
    }

    private static long time(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        try {
            return Instant.parse(String.valueOf(value)).toEpochMilli();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "event without a readable time: {0}", value);
            return System.currentTimeMillis();
        }
    }
}
