package io.steward.agent;

import io.steward.coordinator.Coordinator;
import io.steward.coordinator.NodeInfo;

import java.io.IOException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Steward agent: runs scripts for a primary on this node, with the same engine as the primary, and reports
 * everything back over the agent link (docs/agent-protocol.md).
 *
 * <p>{@link #start} returns at once; the agent then connects, and reconnects after any failure, until
 * {@link #close} or until the primary refuses it for good (a bad token, a revoked node), which ends it with an
 * {@link AgentRefusedException}, or it refuses the primary (another key than the pinned one, docs/tls.md), which
 * ends it with a {@link PrimaryNotTrustedException}. Runs do not depend on the link: they go on while it is down, their events wait in
 * {@code <data>/outbox}, and they are replayed in order when it is back. The outbox outlives the process: an agent
 * started again on the same data directory (after a crash or a kill -9 too) reports and replays the runs the last
 * one left unacknowledged, and ends those that were still running as LOST (docs/agent-protocol.md).
 *
 * <pre>{@code
 * try (Agent agent = Agent.start(AgentConfig.of("https://primary:8420", token).withName("web-1"))) {
 *     agent.await();   // returns after close(); throws AgentRefusedException when refused
 * }
 * }</pre>
 */
public final class Agent implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Agent.class.getName());

    private final DataDirLock lock;
    private final NodeInfo node;
    private final PrimaryRoster primaries;
    private final Coordinator coordinator;
    private final AgentOutbox outbox;
    private final StartedRuns started;
    private final CallbackEndpoint callbacks;
    private final AgentLink link;
    private final Thread linkThread;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final AtomicBoolean closing = new AtomicBoolean();

    private Agent(AgentConfig config, DataDirLock lock) throws IOException {
        this.lock = lock;
        this.node = NodeInfo.local(config.name(), config.labels());
        LinkInbox inbox = new LinkInbox();
        this.started = new StartedRuns();
        this.outbox = new AgentOutbox(config.dataDir().resolve("outbox"), config.outboxMaxBytes(), inbox::wake,
                started::finished);
        // runs an earlier process left in the outbox are this agent's too: a repeated run frame must not restart one
        outbox.heldRuns().forEach(started::claim);
        ReceivedScripts scripts = new ReceivedScripts();
        // the dispatcher's refusals and the child run requests go out through the link, which is made after them
        AgentLink[] linkRef = new AgentLink[1];
        ChildRequests children = new ChildRequests(frame -> linkRef[0].sendLater(frame), () -> linkRef[0].joined());
        // vars, lock, event, queue and pool of the runs here live on the primary
        LinkedCoordination coordination = new LinkedCoordination(frame -> linkRef[0].sendLater(frame));
        // Processes of the runs here call back to this agent, not to the primary: it works while the link is down.
        this.callbacks = new CallbackEndpoint(children);
        // the built-in launcher: the primary's launcher has already accepted each request it sends here
        // None until the primary's welcome says which: its runs come after that, held to the primary's limits.
        io.steward.coordinator.EventLimits limits = new io.steward.coordinator.EventLimits(0, 0);
        this.coordinator = Coordinator.builder().scripts(scripts).node(node).eventSink(outbox).eventLimits(limits)
                .fleet(new AgentFleet()).callbacks(callbacks.callbacks()).coordination(coordination).build();
        callbacks.serve(coordinator);
        this.primaries = PrimaryRoster.of(config);
        this.link = new AgentLink(config, primaries, new CredentialFile(config.dataDir()), inbox, outbox,
                new RunDispatcher(coordinator, node.name(), scripts, started, frame -> linkRef[0].sendLater(frame)),
                new RunReports(coordinator, outbox), node,
                new Backoff(config.backoffInitial(), config.backoffMax(), new SplittableRandom()),
                this::linkEnded, children, coordination, limits);
        linkRef[0] = link;
        this.linkThread = Thread.ofPlatform().name("steward-agent-link").daemon().unstarted(link);
    }

    /**
     * Starts an agent; it connects in the background.
     *
     * @throws IOException              when the data directory cannot be created
     * @throws IllegalArgumentException when there is neither a join token nor a stored credential
     * @throws IllegalStateException    when another agent uses the data directory
     */
    public static Agent start(AgentConfig config) throws IOException {
        CredentialFile credential = new CredentialFile(config.dataDir());
        if ((config.joinToken() == null || config.joinToken().isBlank()) && credential.read().isEmpty()) {
            throw new IllegalArgumentException("a join token is needed: there is no credential in "
                    + credential.path() + " yet");
        }
        DataDir.create(config.dataDir());
        // an https primary it has no way to trust is an error now, not a retry loop
        for (int i = 0; i < config.primaries().size(); i++) {
            PrimaryTrust.of(config, i);
        }
        DataDirLock lock = DataDirLock.acquire(config.dataDir());
        Agent agent;
        try {
            agent = new Agent(config, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        agent.linkThread.start();
        LOG.log(System.Logger.Level.INFO, "agent " + agent.node.name() + " started for "
                + (config.primaries().size() == 1 ? config.linkUri() : "the primaries " + config.primaries()));
        return agent;
    }

    /** This agent's node name. */
    public String name() {
        return node.name();
    }

    /** Whether the link is up and the primary has welcomed the agent. */
    public boolean connected() {
        return link.joined();
    }

    /** Completes when the agent has ended: normally after {@link #close}, exceptionally when refused. */
    public CompletableFuture<Void> termination() {
        return ended.copy();
    }

    /**
     * Waits until the agent ends.
     *
     * @throws AgentRefusedException when the primary refused the agent (a bad token, a revoked node)
     */
    public void await() throws InterruptedException {
        try {
            ended.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Waits at most {@code timeout}; {@code true} when the agent has ended (and was not refused). */
    public boolean await(Duration timeout) throws InterruptedException {
        try {
            ended.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    Coordinator coordinator() {
        return coordinator;
    }

    AgentOutbox outbox() {
        return outbox;
    }

    StartedRuns started() {
        return started;
    }

    int connections() {
        return link.connections();
    }

    /**
     * Stops the agent: cancels its runs (their last events still go out if the link is up), closes the link,
     * keeps the outbox files. Idempotent.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        coordinator.close();
        callbacks.close();
        link.stop();
        try {
            linkThread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        outbox.close();
        primaries.close();
        try {
            lock.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "releasing the data folder's lock", e);
        }
        ended.complete(null);
    }

    private void linkEnded(RuntimeException failure) {
        if (failure == null) {
            return; // close() completes the termination
        }
        ended.completeExceptionally(failure);
        // a refused agent must not keep running scripts for a primary that no longer wants it
        Thread.ofVirtual().name("steward-agent-close").start(this::close);
    }
}
