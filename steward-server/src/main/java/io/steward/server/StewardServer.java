package io.steward.server;

import io.steward.coordination.Coordination;
import io.steward.coordination.LocalCoordination;
import io.steward.nodes.AgentCoordination;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.steward.coordinator.Coordinator;
import io.steward.coordinator.NodeInfo;
import io.steward.coordinator.RunTokens;
import io.steward.engine.Engine;
import io.steward.gateway.Gateway;
import io.steward.nodes.AgentChildRuns;
import io.steward.nodes.AgentDuties;
import io.steward.nodes.AgentLink;
import io.steward.nodes.NodeServices;
import io.steward.nodes.Nodes;
import io.steward.nodes.PrimaryFleet;
import io.steward.nodes.RemoteMessages;
import io.steward.nodes.RemoteRuns;
import io.steward.policy.Policies;
import io.steward.store.Store;
import io.steward.store.StoreConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A running primary. Start-up order matters: the store opens (migrating its schema), the primary writes its row
 * among the primaries on the database and marks the runs its previous process left QUEUED or RUNNING as LOST before
 * the coordinator can start new ones (other primaries' runs are theirs: docs/cluster.md); the gateway opens last, so no
 * request arrives before everything behind it is ready. Shutdown runs the other way and flushes every event.
 */
public final class StewardServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StewardServer.class.getName());
    static final String URL_FILE = "server.url";

    private final ServerConfig config;
    private final Store store;
    private final Coordinator coordinator;
    private final Gateway gateway;
    private final AgentDuties duties;
    private final io.steward.schedule.Scheduler scheduler;
    private final Policies policies;
    private final Path adminToken;
    private final int lostAtStart;
    private final Coordination coordination;
    private final ScheduledExecutorService sweeper;
    private final io.steward.metrics.ServerMetrics metrics = new io.steward.metrics.ServerMetrics();
    /** This primary among the others on its database: its row, its leases (io.steward.cluster). */
    private final io.steward.cluster.Cluster cluster;
    /** On a primary among others: the children it hands to them, and those it takes from them (else null). */
    private io.steward.nodes.ChildrenOnOtherPrimaries childrenElsewhere;
    private io.steward.nodes.ChildrenFromOtherPrimaries childrenFromElsewhere;

    private StewardServer(ServerConfig config) throws IOException {
        this.config = config;
        Files.createDirectories(config.dataDir());
        Engine engine = new Engine();
        StoreConfig.Builder storeConfig = StoreConfig.builder().dataDir(config.dataDir()).languages(engine)
                .retention(config.keepFor(), config.keepRuns()).primaryId(PrimaryIdentity.ensure(config.dataDir())).poolSize(config.dbPool());
        if (config.dbUrl() != null) {
            storeConfig.jdbcUrl(config.dbUrl()).user(config.dbUser()).password(config.dbPassword());
        }
        this.store = Store.open(storeConfig.build());
        java.util.concurrent.atomic.AtomicReference<Nodes> linked = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<String> ownUrl = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            this.cluster = io.steward.cluster.Cluster.join(store, new io.steward.cluster.ClusterSettings(config.leases().ttl(),
                    config.leases().beat(), config.agents().grace()),
                    ownUrl::get, () -> linked.get() == null ? java.util.List.of() : linked.get().linkedAgentNames());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        try {
            // Only this primary's own runs: other primaries on the database keep theirs (their LOST reaper is the lease's).
            this.lostAtStart = cluster.markOwnRunsLost("the primary stopped while this run was in progress");
            this.adminToken = AdminTokenFile.ensure(config.dataDir(), store.tokens());
            NodeInfo self = NodeInfo.local(config.nodeName(), config.labels());
            ServerConfig.AgentSettings agents = config.agents();
            Nodes nodes = new Nodes(self, store.nodes(), agents.requireApproval());
            linked.set(nodes);
            // One EventLimits for all runs, here and (sent in their welcome) on agents: its counters are what /metrics reads.
            io.steward.coordinator.EventLimits eventLimits = config.gateway().limits().events();
            RemoteRuns remote = new RemoteRuns(store, nodes, eventLimits);
            // Local processes call back to this server's own URL, known once the gateway listens (port 0 picks one).
            java.util.concurrent.atomic.AtomicReference<String> callbackUrl = new java.util.concurrent.atomic.AtomicReference<>();
            RunTokens runTokens = new RunTokens(callbackUrl::get);
            Coordinator[] built = new Coordinator[1];
            PrimaryFleet fleet = new PrimaryFleet(nodes, remote, store, () -> built[0]);
            if (store.sharedByPrimaries()) {
                // Fan-outs reach the agents of every primary: children for theirs go through the database.
                this.childrenElsewhere = new io.steward.nodes.ChildrenOnOtherPrimaries(store, () -> config.leases().ttl());
                fleet.acrossPrimaries(childrenElsewhere);
            }
            // Several primaries on one database share their vars, locks, events, queues and pools through it; a primary
            // alone keeps them in memory (its journal only keeps what a restart must not lose): the fast path.
            this.coordination = store.sharedByPrimaries() ? store.sharedCoordination()
                    : new LocalCoordination(store.coordination(), System::currentTimeMillis);
            metrics.watch(coordination);
            // Retries, limits and notifications hear of run ends through the sink that wraps the store's.
            this.policies = new Policies(store, () -> built[0]);
            fleet.childSlots(policies.childSlots());
            metrics.watch(eventLimits);
            metrics.watch(store.writer());
            metrics.watch(store);
            metrics.watch(nodes);
            this.coordinator = Coordinator.builder().engine(engine).scripts(store.scripts()).eventSink(policies.sink())
                    .eventLimits(eventLimits).node(self).fleet(fleet).callbacks(runTokens).coordination(coordination).build();
            // Expired variables read as absent at once; this takes their rows out of the store now and then.
            this.sweeper = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("steward-var-sweeper").factory());
            built[0] = coordinator;
            if (store.sharedByPrimaries()) {
                this.childrenFromElsewhere = new io.steward.nodes.ChildrenFromOtherPrimaries(store, fleet, remote).start();
            }
            this.duties = new AgentDuties(nodes, remote, agents.pollInterval(), agents.grace(), agents.heartbeat());
            RemoteMessages messages = new RemoteMessages(nodes);
            AgentLink link = new AgentLink(store.tokens(), nodes, remote, messages, agents.pollInterval(), agents.heartbeat(),
                    new AgentChildRuns(remote, () -> built[0]), new AgentCoordination(coordination, remote), eventLimits);
            if (config.gateway().tls() != null && config.gateway().tls().requiresClientCertificates()) {
                link.requireClientCertificates();
            }
            this.scheduler = new io.steward.schedule.Scheduler(store, coordinator, fleet, java.time.Clock.systemUTC(),
                    request -> policies.invoke(request, null, false));
            this.gateway = new Gateway(config.gateway(), coordinator, store,
                    new NodeServices(nodes, remote, messages, fleet, link), runTokens, policies, coordination, scheduler,
                    cluster, metrics).start();
            callbackUrl.set(url());
            ownUrl.set(url());
            // After the callback URL is known: scheduled runs' processes call back too. Fires while this primary holds
            // the schedule lease, which a primary alone takes right here.
            cluster.start(scheduler);
            // After the runs left behind are LOST and runs can call back: their retry chains move on (an attempt
            // that fell due while the primary was down starts now).
            policies.start();
            Files.writeString(config.dataDir().resolve(URL_FILE), url() + "\n");
        } catch (RuntimeException | IOException e) {
            if (childrenFromElsewhere != null) {
                childrenFromElsewhere.close();
            }
            cluster.close();
            store.close();
            throw e;
        }
        sweeper.scheduleWithFixedDelay(this::sweepVars, 30, 30, TimeUnit.SECONDS); // its thread starts here, once all is up
        if (lostAtStart > 0) {
            LOG.log(System.Logger.Level.WARNING, "{0} runs were in progress when the primary last stopped: marked LOST",
                    lostAtStart);
        }
    }

    private void sweepVars() {
        try {
            coordination.sweepVars();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not sweep expired variables: {0}", e.getMessage());
        }
    }

    /** The primary's variables, locks, queues and pools. */
    public Coordination coordination() {
        return coordination;
    }

    public static StewardServer start(ServerConfig config) throws IOException {
        return new StewardServer(config);
    }

    public int port() {
        return gateway.port();
    }

    /** The URL clients use, e.g. {@code http://127.0.0.1:7640} ({@code https://} with TLS on). */
    public String url() {
        String host = config.gateway().bind();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        }
        return (config.gateway().tls() != null ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    public Path adminTokenFile() {
        return adminToken;
    }

    public String adminToken() throws IOException {
        return Files.readString(adminToken).strip();
    }

    public int lostAtStart() {
        return lostAtStart;
    }

    public Coordinator coordinator() {
        return coordinator;
    }

    public Store store() {
        return store;
    }

    /** This primary's place among the primaries on its database. */
    public io.steward.cluster.Cluster cluster() {
        return cluster;
    }

    public io.steward.schedule.Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public void close() {
        cluster.close(); // gives the leases up at once: another primary fires the next slot
        if (childrenFromElsewhere != null) {
            childrenFromElsewhere.close(); // takes no more children: the others give them up once this row is gone
        }
        if (childrenElsewhere != null) {
            childrenElsewhere.close();
        }
        scheduler.close();
        sweeper.shutdownNow();
        gateway.close();
        duties.close();
        // Before the coordinator cancels the live runs: an attempt cancelled by the shutdown is retried after a restart.
        policies.closing();
        coordinator.close();
        policies.close();
        store.close();
        try {
            Files.deleteIfExists(config.dataDir().resolve(URL_FILE));
        } catch (IOException ignored) {
            // a stale URL file only makes the CLI try a server that is gone; it then says so
        }
    }
}
