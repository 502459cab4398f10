package io.steward.nodes;

import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import io.steward.engine.ScriptText;
import io.steward.store.ChildDispatch;
import io.steward.store.PrimaryRecord;
import io.steward.store.RunRecord;
import io.steward.store.RunTail;
import io.steward.store.Store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The children of this primary's fan-outs that run on agents linked to other primaries of the cluster (issue 15).
 * Each is handed to the primary holding its agent's link through the shared database ({@code child_dispatch}), which
 * starts it there as its own, with the id and parent chosen here; this primary then follows it like any run another
 * primary writes ({@link RunTail}) and completes the parent's wait when the runs table shows its end.
 *
 * <p>A child nobody takes does not hang: when its primary is gone (unseen for the TTL) this primary takes the row
 * itself and records the child LOST, naming that primary; a child whose primary took it and died before storing it is
 * LOST the same way after twice the TTL; one a live primary leaves untaken for {@link #TAKE_WITHIN} is FAILED. Once
 * stored, a child whose primary dies is the LOST reaper's, or is adopted by the primary its agent fails over to, as
 * any run. A cancel of a child not taken yet is this primary's (it takes the
 * row and records the child CANCELLED); of one taken, a request in its row that every primary hears.
 */
public final class ChildrenOnOtherPrimaries implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ChildrenOnOtherPrimaries.class.getName());
    /** How often followed children are looked at: the tail has already been told, so this is a memory read. */
    private static final long LOOK_MS = 50;
    /** How often the owners of children not stored yet are checked for life. */
    private static final Duration CHECK_OWNERS = Duration.ofSeconds(2);
    /**
     * How long a live owner may leave a child untaken (it looks every 5 s, and is told at once): one that does not
     * take it by then never will (a primary of a version without fan-outs across primaries, say).
     */
    static final Duration TAKE_WITHIN = Duration.ofSeconds(60);

    /** One child handed to another primary, until it ends. */
    private static final class Handed {
        final String owner;
        final RunSnapshot queued;
        final RunTail.Following following;
        final CompletableFuture<RunSnapshot> done = new CompletableFuture<>();
        final boolean sealed;
        final long offeredAt = System.nanoTime();
        long seen = -1;
        /** Whether the runs table has shown the child: from then on its end is whoever holds it's to record. */
        boolean stored;

        Handed(String owner, RunSnapshot queued, RunTail.Following following, boolean sealed) {
            this.owner = owner;
            this.queued = queued;
            this.following = following;
            this.sealed = sealed;
        }
    }

    private final Store store;
    private final String self;
    private final Supplier<Duration> ttl;
    private final Map<String, Handed> handed = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    /** @param ttl the cluster's TTL: a primary unseen for longer is gone */
    public ChildrenOnOtherPrimaries(Store store, Supplier<Duration> ttl) {
        this.store = store;
        this.self = store.config().primaryId();
        this.ttl = ttl;
        this.thread = Thread.ofPlatform().daemon().name("steward-children-elsewhere").unstarted(this::loop);
    }

    /** The agents linked to other live primaries now, each with its primary's id (one query). */
    Map<String, String> agentsOfOthers() {
        Map<String, String> owners = new LinkedHashMap<>();
        for (PrimaryRecord primary : store.primaries().list(ttl.get())) {
            if (primary.alive() && !primary.id().equals(self)) {
                primary.agentNames().forEach(name -> owners.putIfAbsent(name, primary.id()));
            }
        }
        return owners;
    }

    /**
     * Hands child {@code id} on {@code node} to primary {@code owner}: its secret args sealed under its id (the
     * primaries share the secret key), the rest in its dispatch row. Returns its end, as the runs table will show it.
     */
    CompletableFuture<RunSnapshot> start(String id, String node, String owner, String parent, ScriptText text,
                                         Map<String, Object> args, Map<String, Object> secretArgs,
                                         Map<String, Object> shownArgs, Duration timeout) {
        ensureStarted();
        store.secrets().save(id, secretArgs);
        Handed child = new Handed(owner, ChildRecords.queued(id, text.name(), text.version(), shownArgs, node, parent),
                store.tail().follow(id), !secretArgs.isEmpty());
        handed.put(id, child);
        synchronized (this) {
            notifyAll();
        }
        synchronized (offering) {
            unoffered.put(id, new ChildDispatch(id, parent, node, owner, self, text.name(), text.version(), args,
                    timeout == null ? null : timeout.toMillis()));
            offering.notifyAll();
        }
        return child.done;
    }

    /**
     * Children handed on and not written yet, in the order their fan-out made them, and those being written now with
     * the cancels asked for them meanwhile (the reason, or null): all guarded by {@link #offering}, so that a cancel
     * never falls between a child leaving {@code unoffered} and its row existing.
     */
    private final Map<String, ChildDispatch> unoffered = new LinkedHashMap<>();
    private final Map<String, String> writing = new java.util.HashMap<>();
    private final Object offering = new Object();
    private final Thread offerer = Thread.ofPlatform().daemon().name("steward-children-offer").unstarted(this::offer);

    /**
     * Writes the children handed on, as many as have gathered, in one transaction each time: a fan-out's loop used to
     * wait for one commit per child it handed on, which held a fan-out of 10,000 agents to a few hundred children a
     * second. A batch the database refuses ends its children FAILED, saying why, so their parent goes on.
     */
    private void offer() {
        while (!closed) {
            List<ChildDispatch> batch = new ArrayList<>();
            synchronized (offering) {
                while (unoffered.isEmpty() && !closed) {
                    try {
                        offering.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                for (var it = unoffered.values().iterator(); it.hasNext() && batch.size() < OFFER_BATCH; ) {
                    ChildDispatch d = it.next();
                    it.remove();
                    batch.add(d);
                    writing.put(d.id(), null);
                }
            }
            RuntimeException failed = null;
            try {
                store.dispatch().offerAll(batch);
            } catch (RuntimeException e) {
                failed = e;
                LOG.log(System.Logger.Level.WARNING, "could not hand {0} children to other primaries: {1}",
                        batch.size(), e.getMessage());
            }
            Map<String, String> cancels = new LinkedHashMap<>();
            synchronized (offering) {
                for (ChildDispatch d : batch) {
                    String reason = writing.remove(d.id());
                    if (reason != null) {
                        cancels.put(d.id(), reason);
                    }
                }
            }
            for (ChildDispatch d : batch) {
                Handed child = handed.get(d.id());
                if (child == null) {
                    continue;
                }
                if (failed != null) {
                    record(d.id(), child, RunState.FAILED, "could not hand this child to primary " + d.owner()
                            + " through the database: " + failed.getMessage());
                } else if (cancels.containsKey(d.id())) {
                    cancelOffered(d.id(), child, cancels.get(d.id()));
                }
            }
        }
    }

    /** Children written in one transaction at most. */
    private static final int OFFER_BATCH = 500;

    /**
     * Cancels a child handed to another primary; false when it is not one of those (or has ended). Not taken yet: it
     * never starts, and ends CANCELLED here. Taken: its primary (or the one its agent moved to) is asked to.
     */
    boolean cancel(String id, String reason) {
        Handed child = handed.get(id);
        if (child == null || child.done.isDone()) {
            return false;
        }
        synchronized (offering) {
            if (unoffered.remove(id) != null) {
                record(id, child, RunState.CANCELLED, "cancelled before it was handed to primary " + child.owner
                        + ": " + reason);
                return true;
            }
            if (writing.containsKey(id)) {
                writing.put(id, reason); // its row is being written: cancelled as soon as it is
                return true;
            }
        }
        cancelOffered(id, child, reason);
        return true;
    }

    /** Cancels a child whose row is written: taken back if its primary has not taken it, else asked of it. */
    private void cancelOffered(String id, Handed child, String reason) {
        if (store.dispatch().takeOne(id, self)) {
            record(id, child, RunState.CANCELLED, "cancelled before primary " + child.owner + " started it: " + reason);
        } else {
            store.dispatch().cancel(id, reason);
        }
    }

    private synchronized void ensureStarted() {
        if (thread.getState() == Thread.State.NEW && !closed) {
            thread.start();
            offerer.start();
        }
    }

    private void loop() {
        long lastOwnerCheck = System.nanoTime();
        while (!closed) {
            try {
                synchronized (this) {
                    while (handed.isEmpty() && ended.isEmpty() && !closed) {
                        wait(); // nothing to follow: a primary that hands nothing on asks nothing
                    }
                }
                TimeUnit.MILLISECONDS.sleep(LOOK_MS);
                look();
                if (System.nanoTime() - lastOwnerCheck > CHECK_OWNERS.toNanos()) {
                    lastOwnerCheck = System.nanoTime();
                    checkOwners();
                }
                forgetEnded();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "following children on other primaries: {0}; trying again",
                        e.getMessage());
            }
        }
    }

    /**
     * Reads the rows of the children the tail heard anything of, in one query for all of them, and completes the
     * waits of those that ended: a fan-out's thousands of children each change two or three times, and a read apiece
     * made this primary's database work grow with every change of every child.
     */
    private void look() {
        Map<String, Handed> changed = new LinkedHashMap<>();
        Map<String, Long> versions = new java.util.HashMap<>();
        handed.forEach((id, child) -> {
            long version = child.following.version();
            if (version != child.seen && !child.done.isDone()) {
                changed.put(id, child);
                versions.put(id, version);
            }
        });
        if (changed.isEmpty()) {
            return;
        }
        Map<String, RunRecord> rows = store.runs().getAll(changed.keySet());
        // seen only once read: a read the database refused is tried again at the next look, not left to a next change
        // that may never come (an end is a child's last)
        changed.forEach((id, child) -> child.seen = versions.get(id));
        rows.forEach((id, row) -> {
            Handed child = changed.get(id);
            child.stored = true;
            if (row.state().isTerminal()) {
                finish(id, child, RunSnapshot.fromMap(row.toMap()));
            }
        });
    }

    /** Children not stored yet whose primary is gone: taken here and LOST, so that their parent goes on. */
    private void checkOwners() {
        if (handed.values().stream().allMatch(c -> c.stored)) {
            return;
        }
        java.util.Set<String> alive = store.primaries().aliveWithin(ttl.get());
        java.util.Set<String> aliveLonger = store.primaries().aliveWithin(ttl.get().multipliedBy(2));
        handed.forEach((id, child) -> {
            if (child.stored || child.done.isDone()) {
                return;
            }
            if (alive.contains(child.owner)) {
                if (System.nanoTime() - child.offeredAt > TAKE_WITHIN.toNanos() && store.dispatch().takeOne(id, self)) {
                    record(id, child, RunState.FAILED, "primary " + child.owner + ", which holds the link of agent "
                            + child.queued.node() + ", did not take this child within " + TAKE_WITHIN.toSeconds()
                            + " s: is it a version that cannot run other primaries' fan-outs? Upgrade it, or invoke "
                            + "on its agents through it");
                }
                return;
            }
            if (store.dispatch().takeOne(id, self)) {
                record(id, child, RunState.LOST, "primary " + child.owner + ", which holds the link of agent "
                        + child.queued.node() + ", stopped (unseen for " + ttl.get().toSeconds() + " s) before it took "
                        + "this child");
            } else if (!aliveLonger.contains(child.owner) && store.runs().get(id).isEmpty()
                    && store.dispatch().takenBy(id).filter(child.owner::equals).isPresent()) {
                record(id, child, RunState.LOST, "primary " + child.owner + " took this child for agent "
                        + child.queued.node() + " and stopped before it was stored");
            }
        });
    }

    /** Records a child that never ran on its agent, with this primary as its writer. */
    private void record(String id, Handed child, RunState state, String message) {
        RunSnapshot end = ChildRecords.ended(child.queued, state, message);
        store.writer().runCreated(child.queued);
        store.writer().runEnded(end);
        finish(id, child, end);
    }

    private void finish(String id, Handed child, RunSnapshot end) {
        if (!child.done.complete(end)) {
            return;
        }
        handed.remove(id);
        child.following.close();
        ended.add(id);
        synchronized (this) {
            notifyAll(); // the last child may end off the loop's thread (a cancel): its row is still the loop's to delete
        }
        if (child.sealed) {
            try {
                store.secrets().forget(id);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "child {0} ended; its sealed args stay: {1}", id, e.getMessage());
            }
        }
    }

    /** Children ended whose dispatch rows are still to delete: one statement per look, not one per child. */
    private final java.util.Queue<String> ended = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private void forgetEnded() {
        List<String> ids = new ArrayList<>();
        for (String id; (id = ended.poll()) != null; ) {
            ids.add(id);
        }
        if (ids.isEmpty()) {
            return;
        }
        try {
            store.dispatch().removeAll(ids);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "{0} children ended; their dispatch rows stay: {1}", ids.size(),
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        offerer.interrupt();
    }
}
