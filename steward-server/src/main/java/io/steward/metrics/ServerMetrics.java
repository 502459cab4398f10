package io.steward.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.steward.coordination.Coordination;
import io.steward.coordinator.EventLimits;
import io.steward.nodes.LinkMeter;
import io.steward.nodes.Nodes;
import io.steward.store.EventWriter;
import io.steward.store.Store;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The primary's meters (docs/metrics.md lists each). Most read numbers their component keeps anyway when a scrape
 * asks; the rest are counters bumped where a thing happens (a limit refusal, an agent's join, a poll's answer).
 * {@link #scrape} is the Prometheus text the gateway serves at {@code /metrics}.
 */
public final class ServerMetrics implements LinkMeter {
    /** The limits of docs/api.md, as the {@code limit} tag of {@code steward_limit_refusals_total}. */
    public static final String REQUEST_BYTES = "request_bytes";
    public static final String SCRIPT_BYTES = "script_bytes";
    public static final String ARGS_BYTES = "args_bytes";
    public static final String EVENT_BYTES = "event_bytes";
    public static final String EVENTS_PER_SECOND = "events_per_second";
    public static final String STREAMS_PER_TOKEN = "streams_per_token";

    private static final String REFUSALS = "steward.limit.refusals";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> refusals;
    private final Counter joins;
    private final Counter reconnects;
    private final Timer polls;

    public ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        this.refusals = Map.of(
                REQUEST_BYTES, refusal(REQUEST_BYTES, "Request bodies over --max-body"),
                SCRIPT_BYTES, refusal(SCRIPT_BYTES, "Script pushes over --max-script-bytes"),
                ARGS_BYTES, refusal(ARGS_BYTES, "Invokes whose args are over --max-args-bytes"),
                STREAMS_PER_TOKEN, refusal(STREAMS_PER_TOKEN, "Streams refused over --max-streams-per-token"));
        this.joins = Counter.builder("steward.agent.joins").description("Agents that joined for the first time")
                .register(registry);
        this.reconnects = Counter.builder("steward.agent.reconnects")
                .description("Agents that joined again with their credential (a link re-established)").register(registry);
        this.polls = Timer.builder("steward.agent.poll.latency")
                .description("Time from a status poll to an agent's answer").register(registry);
    }

    private Counter refusal(String limit, String description) {
        return Counter.builder(REFUSALS).tag("limit", limit).description(description).register(registry);
    }

    /** Counts a request refused by a limit; {@code limit} is one of the constants above. */
    public void refused(String limit) {
        Counter counter = refusals.get(limit);
        if (counter != null) {
            counter.increment();
        }
    }

    /** The store writer: events stored and dropped, its queue, and (through its tap) runs by state. */
    public void watch(EventWriter writer) {
        FunctionCounter.builder("steward.events.stored", writer, EventWriter::eventsWritten)
                .description("Run events committed to the store (rate() gives events per second)").register(registry);
        FunctionCounter.builder("steward.events.dropped", writer, EventWriter::dropped)
                .description("Events the database refused for good (each is logged)").register(registry);
        FunctionCounter.builder("steward.store.commits", writer, EventWriter::batches)
                .description("Group commits of the store writer").register(registry);
        Gauge.builder("steward.store.writer.queue", writer, EventWriter::pending)
                .description("Items accepted by the store writer and not yet committed").register(registry);
        writer.tap(new RunStates(registry));
    }

    /**
     * The store's connection pool: its size and what is lent out, and the threads waiting for a connection, the first
     * sign that {@code --db-pool} is too small for the load (docs/cluster.md, "What bounds it first").
     */
    public void watch(Store store) {
        Gauge.builder("steward.db.connections.max", store, s -> s.pool().max())
                .description("The size of the store's connection pool (--db-pool)").register(registry);
        Gauge.builder("steward.db.connections", store, s -> s.pool().active()).tag("state", "active")
                .description("The store's connections lent out or free").register(registry);
        Gauge.builder("steward.db.connections", store, s -> s.pool().idle()).tag("state", "idle")
                .description("The store's connections lent out or free").register(registry);
        Gauge.builder("steward.db.connections.waiting", store, s -> s.pool().waiting())
                .description("Threads waiting for one of the store's connections").register(registry);
    }

    /** The limits on what runs publish: their refusals and the time runs were slowed down. */
    public void watch(EventLimits limits) {
        FunctionCounter.builder(REFUSALS, limits, EventLimits::oversized).tag("limit", EVENT_BYTES)
                .description("Status values, events and logs refused over --max-event-bytes").register(registry);
        FunctionCounter.builder(REFUSALS, limits, EventLimits::paced).tag("limit", EVENTS_PER_SECOND)
                .description("Events a run had to wait for under --max-events-per-second (slowed, not dropped)")
                .register(registry);
        FunctionCounter.builder("steward.events.paced", limits, l -> l.pacedNanos() / 1e9).baseUnit("seconds")
                .description("Time runs spent waiting under --max-events-per-second").register(registry);
    }

    /** The agents: how many are linked, and their joins and poll round trips (through {@link LinkMeter}). */
    public void watch(Nodes nodes) {
        Gauge.builder("steward.agents.connected", nodes, Nodes::linkedAgents)
                .description("Agents with a link open now").register(registry);
        nodes.meter(this);
    }

    /** The primary's coordination queues: messages waiting in them. */
    public void watch(Coordination coordination) {
        Gauge.builder("steward.coordination.queue.messages", coordination, Coordination::queuedMessages)
                .description("Messages waiting in the coordination queues (queue(...) in scripts)").register(registry);
    }

    /** An HTTP request answered, by its route's path template. */
    public void request(String method, String route, int status, long nanos) {
        Timer.builder("steward.http.requests").tag("method", method).tag("route", route)
                .tag("status", Integer.toString(status)).description("HTTP requests answered")
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void joined(boolean reconnect) {
        (reconnect ? reconnects : joins).increment();
    }

    @Override
    public void refusedFrame(String type) {
        // type is an allowlisted frame type, "unknown" or "malformed" (AgentLink): a bounded set of tags
        Counter.builder("steward.agent.frames.refused").tag("type", type)
                .description("Frames from agents refused as malformed (each logged with its reason)")
                .register(registry).increment();
    }

    @Override
    public void polled(Duration latency) {
        polls.record(latency);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Every meter in the Prometheus text format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }
}
