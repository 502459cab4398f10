package io.steward.nodes;

import io.steward.client.ScriptConnection;
import io.steward.coordinator.Coordinator;
import io.steward.coordinator.InvokeRequest;
import io.steward.coordinator.RunIds;
import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import io.steward.engine.Fleet;
import io.steward.engine.RemotePrimary;
import io.steward.engine.ScriptText;
import io.steward.store.Store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The primary's fleet: what {@code nodes}, {@code runOn} and {@code connect} reach (claims 3–5, 16). A child on the
 * primary itself is an ordinary run of the coordinator; a child on an agent is sent over its link with the script
 * and its includes, and followed through {@link RemoteRuns}.
 */
public final class PrimaryFleet implements Fleet {
    private final Nodes nodes;
    private final RemoteRuns remote;
    private final Store store;
    private final Supplier<Coordinator> coordinator;

    /** @param coordinator the primary's coordinator, built after this fleet (it is one of its settings) */
    public PrimaryFleet(Nodes nodes, RemoteRuns remote, Store store, Supplier<Coordinator> coordinator) {
        this.nodes = nodes;
        this.remote = remote;
        this.store = store;
        this.coordinator = coordinator;
    }

    /** Set on a primary among others (PostgreSQL): fan-outs reach their agents too. */
    private volatile ChildrenOnOtherPrimaries elsewhere;

    /** Lets fan-outs reach the agents of the other primaries on this database (issue 15). */
    public void acrossPrimaries(ChildrenOnOtherPrimaries children) {
        this.elsewhere = children;
    }

    /** The nodes a fan-out with this selector would reach, on every primary: what {@code nodes(…)} shows a script. */
    @Override
    public List<Map<String, Object>> nodes(String selector) {
        List<Map<String, Object>> infos = new ArrayList<>();
        for (String name : select(selector, true)) {
            infos.add(nodes.info(name));
        }
        return infos;
    }

    /**
     * The nodes a selector picks now, among this primary's and (on a primary among others) the agents linked to the
     * other live primaries; checks it before any run exists.
     */
    public List<String> select(String selector, boolean allowEmpty) {
        return Selector.parse(selector).select(reachable(), allowEmpty);
    }

    /** The nodes a selector picks now among this primary and the agents linked to it only. */
    public List<String> selectHere(String selector, boolean allowEmpty) {
        return Selector.parse(selector).select(nodes.selectable(), allowEmpty);
    }

    /**
     * What a fan-out can reach now, name → labels: this primary's selectable nodes, then (on a primary among others)
     * the agents the other live primaries publish, with the labels the shared node table holds for them. One query
     * more than a lone primary's.
     */
    public Map<String, Map<String, String>> reachable() {
        Map<String, Map<String, String>> here = nodes.selectable();
        ChildrenOnOtherPrimaries others = elsewhere;
        if (others == null) {
            return here;
        }
        Map<String, String> owners = others.agentsOfOthers();
        if (owners.isEmpty()) {
            return here;
        }
        // In the node table's order (by name), wherever each agent is linked: a fan-out's results read the same
        // whichever primary runs it.
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        String primary = nodes.primaryName();
        all.put(primary, here.get(primary));
        for (io.steward.store.NodeRecord r : store.nodes().list()) {
            if (here.containsKey(r.name())) {
                all.putIfAbsent(r.name(), here.get(r.name()));
            } else if (owners.containsKey(r.name())) {
                Map<String, String> labels = new java.util.TreeMap<>();
                r.labels().forEach((k, v) -> labels.put(k, String.valueOf(v)));
                all.put(r.name(), labels);
            }
        }
        here.forEach(all::putIfAbsent);
        return all;
    }

    /**
     * Paces the children of fan-outs by their script's concurrency limit (io.steward.policy): {@link #take} waits
     * until child {@code id} may start, {@link #give} frees its slot when it has ended (or never started).
     */
    public interface ChildSlots {
        void take(String script, String id) throws InterruptedException;

        void give(String id);

        ChildSlots NONE = new ChildSlots() {
            @Override
            public void take(String script, String id) {
            }

            @Override
            public void give(String id) {
            }
        };
    }

    private volatile ChildSlots childSlots = ChildSlots.NONE;

    /** Set once the policies exist (they are made after the fleet, which the coordinator needs first). */
    public void childSlots(ChildSlots slots) {
        this.childSlots = slots;
    }

    /** The fan-out option naming the nodes chosen when the run was accepted (set by the gateway's invoke). */
    public static final String CHOSEN_NODES = "chosenNodes";

    @Override
    public List<Map<String, Object>> runOn(String parent, String selector, String script, Map<String, Object> args,
                                           Map<String, Object> options, Consumer<Map<String, Object>> children)
            throws InterruptedException {
        boolean allowEmpty = Boolean.TRUE.equals(options.get("allowEmpty"));
        // An invoke with "on" chose its nodes when it was accepted (CHOSEN_NODES): a link that drops between then and
        // now must not make the run fail for "no node" (AgentLinksCutAtRandomDrillTest); its child waits instead.
        List<String> targets = options.get(CHOSEN_NODES) instanceof List<?> chosen ? nodes.stillTargetable(chosen)
                : select(selector, allowEmpty);
        if (targets.isEmpty() && !allowEmpty) {
            select(selector, false); // says why, as at acceptance
        }
        int version = options.get("version") instanceof Number v ? v.intValue() : 0;
        ScriptText text = store.scripts().load(script, version);
        List<ScriptText> bundle = Includes.bundle(text, store.scripts());
        Duration timeout = options.get("timeout") instanceof Number ms && ms.longValue() > 0 ? Duration.ofMillis(ms.longValue()) : null;
        int parallel = options.get("parallel") instanceof Number p && p.intValue() > 0 ? p.intValue() : Math.max(1, targets.size());
        boolean failFast = Boolean.TRUE.equals(options.get("failFast"));
        // Which of the targets are agents of other primaries, and whose: read once for the whole fan-out.
        ChildrenOnOtherPrimaries others = elsewhere;
        Map<String, String> owners = others == null ? Map.of() : others.agentsOfOthers();

        Semaphore slots = new Semaphore(parallel);
        AtomicBoolean failed = new AtomicBoolean();
        // Written by this loop, read by the completions of children on other threads (fail-fast, cancel).
        Map<String, String> started = new java.util.concurrent.ConcurrentHashMap<>();
        List<CompletableFuture<Map<String, Object>>> ends = new ArrayList<>();
        try {
            for (String node : targets) {
                slots.acquire();
                if (failFast && failed.get()) {
                    slots.release();
                    Map<String, Object> skipped = record(RunIds.next(), node, RunState.CANCELLED.name(), null,
                            Map.of("message", "not started: another node failed first (fail-fast)"));
                    children.accept(skipped);
                    ends.add(CompletableFuture.completedFuture(skipped));
                    continue;
                }
                String id = RunIds.next();
                ChildSlots limit = childSlots;
                children.accept(record(id, node, RunState.QUEUED.name(), null, null));
                limit.take(text.name(), id); // the script's concurrency limit, across all its runs
                started.put(id, node);
                CompletableFuture<RunSnapshot> end;
                try {
                    String owner = owners.get(node);
                    end = owner != null && !node.equals(nodes.primaryName()) && nodes.link(node).isEmpty()
                            ? handTo(others, owner, id, node, parent, text, args, secretNames(options), timeout)
                            : start(id, node, parent, text, bundle, args, secretNames(options), timeout);
                } catch (InterruptedException | RuntimeException e) {
                    limit.give(id);
                    throw e;
                }
                ends.add(end.thenApply(s -> {
                    limit.give(id);
                    slots.release();
                    Map<String, Object> rec = s.asChild();
                    children.accept(rec);
                    if (s.state() != RunState.SUCCEEDED && failed.compareAndSet(false, true) && failFast) {
                        started.forEach((other, n) -> {
                            if (!other.equals(id)) {
                                cancel(other, "another node failed first (fail-fast)");
                            }
                        });
                    }
                    return rec;
                }));
            }
            List<Map<String, Object>> results = new ArrayList<>();
            for (CompletableFuture<Map<String, Object>> end : ends) {
                results.add(end.get());
            }
            return results;
        } catch (InterruptedException e) {
            // The parent was cancelled (or failed): its children go too, on every node.
            started.keySet().forEach(id -> cancel(id, "the parent run " + parent + " stopped"));
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a child run could not be followed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** A child for an agent linked to primary {@code owner}: handed to it through the database. */
    private static CompletableFuture<RunSnapshot> handTo(ChildrenOnOtherPrimaries others, String owner, String id,
                                                         String node, String parent, ScriptText text,
                                                         Map<String, Object> allArgs, java.util.Set<String> secretNames,
                                                         Duration timeout) {
        SplitArgs split = SplitArgs.of(allArgs, secretNames);
        return others.start(id, node, owner, parent, text, split.args(), split.secret(), split.shown(), timeout);
    }

    /**
     * A child's args as they travel: the plain ones, the secret ones (sent apart, so that the child masks them like
     * its parent does), and all of them as the child's record shows them, the secret ones masked.
     */
    private record SplitArgs(Map<String, Object> args, Map<String, Object> secret, Map<String, Object> shown) {
        static SplitArgs of(Map<String, Object> allArgs, java.util.Set<String> secretNames) {
            SplitArgs split = new SplitArgs(new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
            allArgs.forEach((name, value) -> {
                boolean secret = secretNames.contains(name);
                (secret ? split.secret : split.args).put(name, value);
                split.shown.put(name, secret ? "***" : value);
            });
            return split;
        }
    }

    /**
     * Starts a child that another primary's fan-out handed to this one for one of its agents, as {@link #runOn}
     * starts its own: same id, parent, script version and args (the secret ones opened from their seal). One that
     * cannot start here (its script or secrets unreadable) is recorded FAILED, saying why, so its parent goes on.
     */
    void startHanded(io.steward.store.ChildDispatch child, HandedScripts scripts, boolean sealed)
            throws InterruptedException {
        ScriptText text;
        List<ScriptText> bundle;
        Map<String, Object> secretArgs;
        try {
            text = scripts.text(child.script(), child.version());
            bundle = scripts.bundle(text);
            secretArgs = sealed ? store.secrets().load(child.id()) : Map.of();
        } catch (RuntimeException e) {
            failHanded(child, e.getMessage());
            return;
        }
        Map<String, Object> all = new LinkedHashMap<>(child.args());
        all.putAll(secretArgs);
        start(child.id(), child.node(), child.parent(), text, bundle, all, secretArgs.keySet(),
                child.timeoutMs() == null ? null : Duration.ofMillis(child.timeoutMs()));
    }

    /**
     * The scripts of one batch of handed-on children, each version loaded with its includes once: the children of one
     * fan-out all run the same script, and loading it for each of thousands cost two queries a child on the one thread
     * that starts them.
     */
    final class HandedScripts {
        private final Map<String, ScriptText> texts = new java.util.HashMap<>();
        private final Map<ScriptText, List<ScriptText>> bundles = new java.util.HashMap<>();

        ScriptText text(String script, int version) {
            return texts.computeIfAbsent(script + "@" + version, k -> store.scripts().load(script, version));
        }

        List<ScriptText> bundle(ScriptText text) {
            return bundles.computeIfAbsent(text, t -> Includes.bundle(t, store.scripts()));
        }
    }

    /** Records FAILED, saying why, a child handed to this primary that it could not start. */
    void failHanded(io.steward.store.ChildDispatch child, String why) {
        RunSnapshot queued = ChildRecords.queued(child.id(), child.script(), child.version(), child.args(),
                child.node(), child.parent());
        store.writer().runCreated(queued);
        store.writer().runEnded(ChildRecords.ended(queued, RunState.FAILED, "primary " + store.config().primaryId()
                + " could not start this child for agent " + child.node() + " that primary " + child.sender()
                + " handed to it: " + why));
    }

    /** The names of the args that are secret ({@code options.secretArgs}, as a fan-out's parent passes them). */
    private static java.util.Set<String> secretNames(Map<String, Object> options) {
        java.util.Set<String> names = new java.util.HashSet<>();
        if (options.get("secretArgs") instanceof List<?> list) {
            list.forEach(n -> names.add(String.valueOf(n)));
        }
        return names;
    }

    private CompletableFuture<RunSnapshot> start(String id, String node, String parent, ScriptText text,
                                                 List<ScriptText> bundle, Map<String, Object> allArgs,
                                                 java.util.Set<String> secretNames, Duration timeout)
            throws InterruptedException {
        String invoker = "run " + parent;
        SplitArgs split = SplitArgs.of(allArgs, secretNames);
        Map<String, Object> args = split.args();
        Map<String, Object> secretArgs = split.secret();
        Map<String, Object> shownArgs = split.shown();
        if (node.equals(nodes.primaryName())) {
            return coordinator.get().invoke(new InvokeRequest(text.name(), text.version(), args, timeout, invoker)
                    .withId(id).withParent(parent).withSecretArgs(secretArgs)).completion();
        }
        RunSnapshot queued = new RunSnapshot(id, text.name(), text.version(), RunState.QUEUED, shownArgs, Map.of(), Map.of(),
                null, List.of(), 0, List.of(), Instant.now(), null, null, null, null, node, parent, List.of(), invoker, 0);
        RemoteRuns.RemoteRun run = remote.register(queued);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "run");
        message.put("id", id);
        message.put("parent", parent);
        message.put("script", text.name());
        message.put("version", text.version());
        message.put("args", args);
        if (!secretArgs.isEmpty()) {
            message.put("secretArgs", secretArgs);
        }
        message.put("timeoutMs", timeout == null ? null : timeout.toMillis());
        message.put("scripts", bundle.stream().map(s -> Map.of("name", s.name(), "version", s.version(), "source", s.source())).toList());
        remote.send(run, message); // kept and sent again until the agent acknowledges it
        return run.done;
    }

    /** Cancels a child wherever it runs; a child on an offline agent is left to the agent (and logged). */
    public boolean cancel(String id, String reason) {
        try {
            ChildrenOnOtherPrimaries others = elsewhere;
            return coordinator.get().cancel(id, reason) || remote.cancel(id, reason)
                    || (others != null && others.cancel(id, reason));
        } catch (NodeOfflineException e) {
            System.getLogger(PrimaryFleet.class.getName()).log(System.Logger.Level.WARNING, e.getMessage());
            return false;
        }
    }

    private static Map<String, Object> record(String id, String node, String state, Object result, Object error) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id);
        r.put("node", node);
        r.put("state", state);
        r.put("result", result);
        r.put("error", error);
        return r;
    }

    @Override
    public RemotePrimary connect(String url, String token) {
        return ScriptConnection.open(url, token);
    }
}
