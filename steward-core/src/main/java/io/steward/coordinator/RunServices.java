package io.steward.coordinator;

import io.steward.engine.Engine;
import io.steward.engine.ScriptSource;
import io.steward.process.LocalProcesses;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/** What every run of one coordinator shares: passed once instead of as a dozen constructor arguments. */
record RunServices(Engine engine, ScriptSource scripts, LocalProcesses processes, ScheduledExecutorService timers,
                   EventSink sink, NodeInfo node, int historyLimit, Duration stopGrace,
                   Duration cancelGrace, io.steward.engine.Fleet fleet,
                   Consumer<Run> onEnded, RunCallbacks callbacks,
                   io.steward.coordination.Coordination coordination, EventLimits eventLimits) {
}
