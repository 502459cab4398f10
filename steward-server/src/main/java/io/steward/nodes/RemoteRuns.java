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
        /**
         * The {@code run} frame, kept until the agent shows it has the run (its {@code created}, events, end,
         * refusal or a poll answer that lists it): a frame that left on a link cut before it arrived is sent again.
         */
        Map<String, Object> request;
        /** The link the request last went out on ({@code null}: none yet), when it first did, and when last. */
        AgentSession sentOn;
        Instant sentOnSince;
        Instant lastSent;
        /** A cancel came before the agent had the run: it is not sent again, and ends CANCELLED unless the agent has it. */
        String cancelledBeforeStart;
        /**
         * When this primary adopted the run from another one (its agent failed over here), until the agent shows it
         * has the run; {@code null} for a run sent from here or already shown. The other primary kept the request.
         */
        Instant adoptedAt;

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
    /** How long an unacknowledged run waits before it is sent again on the same link. */
    private volatile java.time.Duration resendAfter = java.time.Duration.ofSeconds(10);
    /** How long a run may stay unacknowledged on one live link before it is given up as LOST. */
    private volatile java.time.Duration giveUpAfter = java.time.Duration.ofSeconds(60);
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

    /**
     * Sets the bounds for runs an agent has not acknowledged: sent again after {@code resendAfter} on the same link,
     * LOST after {@code giveUpAfter} of a live link that never showed the run.
     */
    void acknowledgeWithin(java.time.Duration resendAfter, java.time.Duration giveUpAfter) {
        this.resendAfter = resendAfter;
        this.giveUpAfter = giveUpAfter;
    }

    /**
     * Sends a registered child's {@code run} frame to its agent, and keeps it until the agent acknowledges the run.
     * A run whose agent has no link now stays QUEUED: it goes out when the agent joins again, or is LOST once the
     * agent has been away longer than the grace period, as every run of a vanished agent is.
     */
    void send(RemoteRun run, Map<String, Object> request) {
        AgentSession link = nodes.link(run.node).orElse(null);
        synchronized (run) {
            run.request = request;
        }
        if (link == null || !transmit(run, link)) {
            LOG.log(System.Logger.Level.INFO, "run {0}: the agent {1} has no link now; it goes out when the agent "
                    + "joins again", run.id, run.node);
        }
    }

    /** Sends the kept request on {@code link}; false when the link took nothing. */
    private boolean transmit(RemoteRun run, AgentSession link) {
        Map<String, Object> request;
        synchronized (run) {
            request = run.request;
            if (request == null || run.ended) {
                return true;
            }
            Instant now = Instant.now();
            if (run.sentOn != link) {
                run.sentOn = link;
                run.sentOnSince = now;
            }
            run.lastSent = now;
        }
        return link.send(request);
    }

    /** The agent shows it has the run: the request is not needed any more. */
    private static void acknowledged(RemoteRun run) {
        run.request = null;
        run.adoptedAt = null;
    }

    /**
     * An agent joined this primary: its runs under way that another primary started or adopted become runs of this
     * one (docs/cluster.md, "Agents and failover"), in the store ({@code runs.primary_id}) and here, as if this
     * primary had sent them. Their events go on from the highest sequence number the store holds: the agent
     * replays everything no primary acknowledged, and what is held already is dropped as after any reconnect.
     * Cancels, the grace period and LOST detection then work for them here. The other primary may be gone (the
     * usual case) or merely unreachable for this agent; either way the store says whose runs they are now.
     *
     * @return how many runs were adopted
     */
    int adoptRunsOf(String node) {
        List<io.steward.store.RunRecord> adopted = store.runs().adopt(node, store.config().primaryId());
        Instant now = Instant.now();
        for (io.steward.store.RunRecord record : adopted) {
            RemoteRun run = runs.computeIfAbsent(record.id(), id -> new RemoteRun(id, node,
                    RunSnapshot.fromMap(record.toMap()), record.lastSeq()));
            synchronized (run) {
                // Back from another primary (the agent flapped between two live ones): what that one stored meanwhile
                // is held, and the agent forgot it once acknowledged, so asking for it again would wait for ever.
                run.received = Math.max(run.received, record.lastSeq());
                if (run.request == null && !run.ended) {
                    run.adoptedAt = run.adoptedAt == null ? now : run.adoptedAt;
                }
            }
        }
        if (!adopted.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "agent {0} brought {1} run(s) under way from other primaries: {2}", node,
                    adopted.size(), adopted.stream().map(io.steward.store.RunRecord::id).toList());
        }
        return adopted.size();
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
        synchronized (run) {
            if (run.request != null) {
                // Not acknowledged yet: never send it again; it ends CANCELLED unless the agent turns out to have it.
                run.cancelledBeforeStart = "cancelled before the agent " + run.node + " started it: " + reason;
            }
        }
        if (!nodes.link(run.node).map(link -> link.send(Map.of("type", "cancel", "id", id, "reason", reason))).orElse(false)) {
            throw new NodeOfflineException(run.node, "node " + run.node + " is offline: run " + id
                    + " was not cancelled and goes on there; retry when the node is back (`steward nodes` shows its state)");
        }
        return true;
    }

    /**
     * A run an agent reports that this process did not send (it was sent before a restart of the primary). Only a
     * run the store holds as sent to that very node is adopted: an agent may not make up runs, nor report on
     * another node's.
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
        // A run that has ended stays adoptable: its agent may replay the end of a run whose acknowledgement a cut
        // link lost, and must then hear it acknowledged rather than refused (an ended run ignores what comes).
        if (stored.isEmpty() || !from.name().equals(stored.get().node())) {
            throw new LinkRefusedException("bad_message", "run " + id + " is not a run sent to node " + from.name());
        }
        return runs.computeIfAbsent(id, k -> new RemoteRun(id, from.name(),
                RunSnapshot.fromMap(stored.get().toMap()), stored.get().lastSeq()));
    }

    void created(AgentSession from, Map<String, Object> snapshot) {
        RunSnapshot s = RunSnapshot.fromMap(snapshot);
        RemoteRun run = adopt(from, s.id());
        synchronized (run) {
            acknowledged(run);
            if (!run.ended) {
                run.latest = s;
            }
        }
    }

    @SuppressWarnings("unchecked")
    void events(AgentSession from, String id, List<Map<String, Object>> events) {
        RemoteRun run = adopt(from, id);
        synchronized (run) {
            acknowledged(run);
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
            acknowledged(run);
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
            acknowledged(run);
            RunSnapshot q = run.latest;
            if (q == null || run.ended) {
                return;
            }
            finish(run, ended(q, RunState.FAILED, message));
        }
    }

    /**
     * A poll answer: the newest state of each child, and a resend for any that is ahead of what is held. A child
     * sent to this agent that the answer does not list, and that the agent never acknowledged, did not arrive (or
     * is still being compiled there): see {@link #unacknowledged}.
     */
    void status(AgentSession from, List<Map<String, Object>> snapshots) {
        java.util.Set<String> listed = new java.util.HashSet<>();
        for (Map<String, Object> m : snapshots) {
            RunSnapshot s = RunSnapshot.fromMap(m);
            listed.add(s.id());
            RemoteRun run;
            try {
                run = adopt(from, s.id());
            } catch (LinkRefusedException e) {
                LOG.log(System.Logger.Level.WARNING, "agent {0}: {1}", from.name(), e.getMessage());
                continue; // one stranger in a poll answer does not hide the others
            }
            synchronized (run) {
                acknowledged(run);
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
        unacknowledged(from, listed);
    }

    /**
     * The children of {@code from}'s node that the agent has not acknowledged and its poll answer does not list.
     * The agent starts a run id at most once (a repeated {@code run} frame starts nothing), so sending the request
     * again is safe: at once when it last went out on an earlier link (that link may have been cut or blackholed
     * before the frame arrived), and again after {@code resendAfter} on the same link. A run the agent has still
     * not shown after {@code giveUpAfter} of one live link is LOST with the reason: it never started there.
     */
    private void unacknowledged(AgentSession from, java.util.Set<String> listed) {
        Instant now = Instant.now();
        for (RemoteRun run : runs.values()) {
            if (!run.node.equals(from.name()) || listed.contains(run.id)) {
                continue;
            }
            boolean resend = false;
            synchronized (run) {
                if (!run.ended && run.adoptedAt != null && run.adoptedAt.plus(resendAfter).isBefore(now)) {
                    // Poll answers since the adoption do not list it: the request never reached the agent from the
                    // primary that started the run, and that primary kept it; nothing here can send it.
                    finish(run, ended(run.latest, RunState.LOST, "the agent " + run.node + " does not have this run: "
                            + "it had not reached the agent from the primary that started it when the agent moved "
                            + "to this primary"));
                    continue;
                }
                if (run.ended || run.request == null) {
                    continue;
                }
                if (run.cancelledBeforeStart != null) {
                    finish(run, ended(run.latest, RunState.CANCELLED, run.cancelledBeforeStart));
                    continue;
                }
                if (run.sentOn != from) {
                    resend = true;
                } else if (run.sentOnSince.plus(giveUpAfter).isBefore(now)) {
                    finish(run, ended(run.latest, RunState.LOST, "the agent " + run.node + " never acknowledged this"
                            + " run: it was sent over a link that stayed up for " + giveUpAfter.toSeconds() + "s"
                            + " without the agent showing it, so it did not start there"));
                    continue;
                } else {
                    resend = run.lastSent.plus(resendAfter).isBefore(now);
                }
            }
            if (resend) {
                LOG.log(System.Logger.Level.INFO, "run {0}: the agent {1} has not acknowledged it (the link may have "
                        + "been cut before it arrived); sending it again", run.id, run.node);
                transmit(run, from);
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
