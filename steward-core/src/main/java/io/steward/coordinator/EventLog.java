package io.steward.coordinator;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The timeline of one run: numbers each event, keeps the most recent ones in memory for followers that join late,
 * hands every event to the {@link EventSink} and offers it to each {@link Subscription}. Appending never blocks on
 * a follower; it takes one short lock so that sequence order, sink order and delivery order are the same.
 */
final class EventLog {
    private final String runId;
    private final EventSink sink;
    private final int historyLimit;
    private final RunSecrets secrets;
    private final EventLimits limits;
    /** This run's share of {@link EventLimits#eventsPerSecond}; {@code null} when the rate is not limited. */
    private final RatePacer pacer;
    private final ArrayDeque<RunEvent> history = new ArrayDeque<>();
    private final CopyOnWriteArrayList<Subscription> followers = new CopyOnWriteArrayList<>();
    private long seq;
    private boolean ended;

    EventLog(String runId, EventSink sink, int historyLimit) {
        this(runId, sink, historyLimit, RunSecrets.NONE, EventLimits.NONE);
    }

    EventLog(String runId, EventSink sink, int historyLimit, RunSecrets secrets, EventLimits limits) {
        this.runId = runId;
        this.sink = sink;
        this.historyLimit = historyLimit;
        this.secrets = secrets;
        this.limits = limits;
        this.pacer = limits.pacer();
    }

    /**
     * What a script publishes passes here first, before the caller takes any lock of its own: refuses a value over
     * the size limit (so nothing of it is published or stored) and waits for the run's turn under the rate limit.
     *
     * @param what names the value in the size error; {@code null} checks no size (output lines, cut by the pump)
     * @throws EventTooLargeException when the value is over the size limit
     */
    void admit(String what, Object value) {
        if (what != null) {
            limits.checkSize(what, value);
        }
        if (pacer != null) {
            pacer.acquire();
        }
    }

    /**
     * Numbers and publishes an event. This is the one door through which everything about a run leaves it (store,
     * streams, the agent link), so the run's secret values are masked here, output lines and log messages included.
     */
    synchronized RunEvent append(String kind, Map<String, Object> data) {
        RunEvent event = new RunEvent(runId, ++seq, kind, System.currentTimeMillis(), secrets.mask(data));
        history.addLast(event);
        if (history.size() > historyLimit) {
            history.removeFirst();
        }
        sink.accept(event);
        for (Subscription follower : followers) {
            follower.offer(event);
        }
        return event;
    }

    /** A follower that first receives the kept events after {@code afterSeq}, then every new one. */
    synchronized Subscription subscribe(long afterSeq, int capacity) {
        Subscription[] self = new Subscription[1];
        self[0] = new Subscription(runId, capacity, () -> followers.remove(self[0]));
        return register(self[0], afterSeq);
    }

    private Subscription register(Subscription follower, long afterSeq) {
        long oldestKept = history.isEmpty() ? seq + 1 : history.getFirst().seq();
        if (afterSeq + 1 < oldestKept && afterSeq < seq) {
            follower.missed(afterSeq + 1, oldestKept - 1);
        }
        for (RunEvent event : history) {
            if (event.seq() > afterSeq) {
                follower.offer(event);
            }
        }
        if (ended) {
            follower.end();
        } else {
            followers.add(follower);
        }
        return follower;
    }

    synchronized void end() {
        ended = true;
        for (Subscription follower : followers) {
            follower.end();
        }
        followers.clear();
    }

    synchronized long lastSeq() {
        return seq;
    }
}
