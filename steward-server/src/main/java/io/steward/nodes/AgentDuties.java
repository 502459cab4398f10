package io.steward.nodes;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The periodic duties of the agent link, each a method of its own on one scheduler thread:
 * {@link #beat} sends the primary's heartbeat; {@link #poll} asks every agent for the status of its runs (claims 6–7, 56); {@link #acknowledge} tells agents
 * which events are durable; {@link #checkGrace} declares an agent gone once it has been unheard (or away) longer
 * than the grace period, and its unfinished runs LOST.
 */
public final class AgentDuties implements AutoCloseable {
    private final Nodes nodes;
    private final RemoteRuns runs;
    private final Duration grace;
    private final Map<String, Instant> awaySince = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "steward-agent-duties");
        t.setDaemon(true);
        return t;
    });

    public AgentDuties(Nodes nodes, RemoteRuns runs, Duration pollInterval, Duration grace, Duration heartbeat) {
        this.nodes = nodes;
        this.runs = runs;
        this.grace = grace;
        // A run sent over a link that was cut before it arrived goes again; one never acknowledged is not waited on for ever.
        runs.acknowledgeWithin(pollInterval.multipliedBy(2), grace);
        timer.scheduleWithFixedDelay(guard(this::poll), pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(guard(this::acknowledge), 200, 200, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(guard(this::beat), heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        long check = Math.max(100, Math.min(1000, grace.toMillis() / 4));
        timer.scheduleWithFixedDelay(guard(this::checkGrace), check, check, TimeUnit.MILLISECONDS);
    }

    void poll() {
        String pollId = nodes.polls().next("poll");
        for (AgentSession link : nodes.liveLinks()) {
            Thread.ofVirtual().start(() -> link.send(Map.of("type", "poll", "pollId", pollId)));
        }
    }

    /** The primary's half of "heartbeats both ways": an agent that hears nothing for long reconnects. */
    void beat() {
        Map<String, Object> beat = Map.of("type", "heartbeat", "time", Instant.now().toString());
        for (AgentSession link : nodes.liveLinks()) {
            Thread.ofVirtual().start(() -> link.send(beat));
        }
    }

    void acknowledge() {
        runs.acknowledge();
    }

    void checkGrace() {
        Instant now = Instant.now();
        for (AgentSession link : nodes.liveLinks()) {
            if (link.lastHeard().plus(grace).isBefore(now)) {
                nodes.silent(link);
            }
        }
        // Only nodes with unfinished children matter here: a cheap in-memory look, every check.
        java.util.Set<String> busy = runs.busyNodes();
        awaySince.keySet().retainAll(busy);
        for (String name : busy) {
            if (nodes.linked(name)) {
                awaySince.remove(name);
                continue;
            }
            Instant since = awaySince.computeIfAbsent(name, n -> now);
            if (since.plus(grace).isBefore(now)) {
                runs.lost(name, "the agent " + name + " was gone for longer than " + grace.toSeconds() + "s");
            }
        }
    }

    private Runnable guard(Runnable duty) {
        return () -> {
            try {
                duty.run();
            } catch (RuntimeException e) {
                if (!timer.isShutdown()) { // a duty cut short by shutdown is no news
                    System.getLogger(AgentDuties.class.getName()).log(System.Logger.Level.WARNING, "agent duty failed", e);
                }
            }
        };
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
