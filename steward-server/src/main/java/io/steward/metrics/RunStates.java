package io.steward.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.steward.coordinator.EventSink;
import io.steward.coordinator.RunEvent;
import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs by state without asking the store: a tap on the store writer, which every run passes through (local runs
 * from the coordinator, agents' runs from the link). Live runs are counted in memory per state (QUEUED, RUNNING)
 * from their {@code state} events; ended runs are counted per final state. A scrape reads a few numbers; counting a
 * table of millions of runs would be a query per scrape. Every call is the writer's caller's, under a run's event
 * lock: all but {@code state} events return after one string comparison.
 *
 * <p>Counts start at zero with the process: runs a previous process left behind are the store's business, not this
 * gauge's. An agent's run that was LOST and later reports its real end counts as ended twice, once per end.
 */
final class RunStates implements EventSink {
    private final Map<String, RunState> live = new ConcurrentHashMap<>();
    private final Map<RunState, AtomicLong> liveCounts = new EnumMap<>(RunState.class);
    private final Map<RunState, Counter> ended = new EnumMap<>(RunState.class);

    RunStates(MeterRegistry registry) {
        for (RunState state : RunState.values()) {
            String tag = state.name().toLowerCase(Locale.ROOT);
            if (state.isTerminal()) {
                ended.put(state, Counter.builder("steward.runs.ended").tag("state", tag)
                        .description("Runs that ended, by final state").register(registry));
            } else {
                AtomicLong count = new AtomicLong();
                liveCounts.put(state, count);
                Gauge.builder("steward.runs.live", count, AtomicLong::get).tag("state", tag)
                        .description("Runs in progress, by state").register(registry);
            }
        }
    }

    @Override
    public void accept(RunEvent event) {
        if (!"state".equals(event.kind()) || !(event.data().get("state") instanceof String name)) {
            return;
        }
        RunState state = RunState.valueOf(name);
        if (!state.isTerminal()) {
            moved(event.runId(), live.put(event.runId(), state), state);
        }
    }

    @Override
    public void runCreated(RunSnapshot run) {
        if (live.putIfAbsent(run.id(), RunState.QUEUED) == null) {
            liveCounts.get(RunState.QUEUED).incrementAndGet();
        }
    }

    @Override
    public void runEnded(RunSnapshot run) {
        moved(run.id(), live.remove(run.id()), null);
        Counter counter = ended.get(run.state());
        if (counter != null) {
            counter.increment();
        }
    }

    private void moved(String id, RunState from, RunState to) {
        if (from == to) {
            return;
        }
        if (from != null) {
            liveCounts.get(from).decrementAndGet();
        }
        if (to != null) {
            liveCounts.get(to).incrementAndGet();
        }
    }
}
