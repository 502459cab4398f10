package io.steward.nodes;

import io.steward.coordinator.NodeInfo;
import io.steward.store.NodeRecord;
import io.steward.store.NodeStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * Every node the primary knows: itself (always online) and its agents, with state {@code online}, {@code offline},
 * {@code pending} (waiting for approval) or {@code revoked}. The node store keeps them across restarts; the live
 * links are only here. Only online nodes can be selected to run anything.
 */
public final class Nodes {
    public static final String ONLINE = "online";
    public static final String OFFLINE = "offline";
    public static final String PENDING = "pending";
    public static final String REVOKED = "revoked";

    private final NodeInfo primary;
    private final NodeStore store;
    private final boolean requireApproval;
    private final Map<String, AgentSession> links = new ConcurrentHashMap<>();
    private volatile ToIntFunction<String> runningOn = node -> 0;
    private final PollClock polls = new PollClock();
    private volatile LinkMeter meter = LinkMeter.NONE;

    public Nodes(NodeInfo primary, NodeStore store, boolean requireApproval) {
        this.primary = primary;
        this.store = store;
        this.requireApproval = requireApproval;
        // Whatever the last process left online is offline until its agent says hello again.
        for (NodeRecord r : store.list()) {
            if (r.state().equals(ONLINE)) {
                store.upsert(r.name(), r.info(), OFFLINE, r.lastSeen());
            }
        }
    }

    /** How to count the live runs on a node, for the node list. */
    void runningOn(ToIntFunction<String> counter) {
        this.runningOn = counter;
    }

    public String primaryName() {
        return primary.name();
    }

    /** The link of an online agent. */
    Optional<AgentSession> link(String name) {
        return Optional.ofNullable(links.get(name));
    }

    /** Names and labels of the nodes that can run something now. */
    @SuppressWarnings("unchecked")
    public Map<String, Map<String, String>> selectable() {
        Map<String, Map<String, String>> nodes = new LinkedHashMap<>();
        nodes.put(primary.name(), primary.labels());
        for (NodeRecord r : store.list()) {
            if (r.state().equals(ONLINE) && links.containsKey(r.name())) {
                Map<String, String> labels = new TreeMap<>();
                r.labels().forEach((k, v) -> labels.put(k, String.valueOf(v)));
                nodes.put(r.name(), labels);
            }
        }
        return nodes;
    }

    /**
     * Of the nodes a fan-out chose when it was accepted, those that may still be sent its children: the primary, and
     * agents online or offline (a child for an agent whose link dropped a moment ago waits for it to rejoin, or is
     * LOST after its grace, like any run sent over a cut link); not agents since revoked, pending or forgotten.
     */
    public List<String> stillTargetable(List<?> chosen) {
        List<String> kept = new ArrayList<>();
        for (Object o : chosen) {
            String name = String.valueOf(o);
            if (name.equals(primary.name()) || store.get(name).map(r -> r.state().equals(ONLINE)
                    || r.state().equals(OFFLINE)).orElse(false)) {
                kept.add(name);
            }
        }
        return kept;
    }

    /** Every node as the API shows it: {@code name, state, labels, lastSeen, info, running}. */
    public List<Map<String, Object>> list() {
        List<Map<String, Object>> all = new ArrayList<>();
        all.add(primaryView());
        for (NodeRecord r : store.list()) {
            if (!r.name().equals(primary.name())) {
                all.add(view(r));
            }
        }
        return all;
    }

    public Optional<Map<String, Object>> get(String name) {
        if (name.equals(primary.name())) {
            return Optional.of(primaryView());
        }
        return store.get(name).map(this::view);
    }

    public Map<String, Object> info(String name) {
        if (name.equals(primary.name())) {
            return primary.toMap();
        }
        return store.get(name).map(r -> ReportedNodeInfo.readable(r.info(), r.name())).orElse(Map.of("name", name));
    }

    private Map<String, Object> primaryView() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", primary.name());
        view.put("state", ONLINE);
        view.put("labels", primary.labels());
        view.put("lastSeen", Instant.now().toString());
        view.put("primary", true);
        view.put("running", (long) runningOn.applyAsInt(primary.name()));
        view.put("info", primary.toMap());
        return view;
    }

    private Map<String, Object> view(NodeRecord r) {
        // what an older primary stored unchecked is shown only as far as it is readable
        NodeRecord shown = new NodeRecord(r.name(), r.state(), ReportedNodeInfo.readable(r.info(), r.name()), r.lastSeen());
        Map<String, Object> view = new LinkedHashMap<>(shown.toMap());
        view.put("running", (long) runningOn.applyAsInt(r.name()));
        return view;
    }

    /**
     * An agent said hello: decides its state and keeps its link.
     *
     * @return the state it is in now
     * @param newcomer whether it joins with a join token (it may then take the name of a revoked node) rather than
     *                 with its credential
     * @throws LinkRefusedException when it may not join (revoked, a name taken by a live link, the primary's name)
     */
    String join(AgentSession session, String name, Map<String, Object> info, boolean newcomer) {
        if (name.equals(primary.name())) {
            throw new LinkRefusedException("conflict", "the name '" + name + "' is the primary's own: start the agent with --name");
        }
        Optional<NodeRecord> known = store.get(name);
        // A revoked node's name is free for a join token (the admin's revoke said the old agent is gone), never for
        // a credential; revoking deletes the credential too, so this is for one that slipped through meanwhile.
        if (!newcomer && known.isPresent() && known.get().state().equals(REVOKED)) {
            throw new LinkRefusedException("revoked", "the node '" + name + "' was revoked by an admin: its credential "
                    + "no longer works. To bring it back, delete the agent's credential file and start it with a join token");
        }
        AgentSession other = links.get(name);
        if (other != null && other != session && other.open()) {
            throw new LinkRefusedException("conflict", "another agent is connected as '" + name + "': give each agent its own --name");
        }
        String state = known.map(NodeRecord::state).filter(s -> s.equals(PENDING)).orElse(
                newcomer && requireApproval ? PENDING : ONLINE);
        session.name(name);
        links.put(name, session);
        store.upsert(name, info, state, Instant.now());
        return state;
    }

    /** How often a live agent's "last seen" is written to the store; in between it is kept on its link. */
    private static final java.time.Duration LAST_SEEN_WRITES = java.time.Duration.ofSeconds(30);
    private final Map<String, Instant> lastWritten = new ConcurrentHashMap<>();

    /**
     * A heartbeat or fresh info from an agent.
     *
     * @param reported the frame's {@code info}, or {@code null} for a mere heartbeat
     * @throws IllegalArgumentException when the info has a field of the wrong type or size (nothing is stored; the
     *                                  link counts the heartbeat as heard all the same)
     */
    void heard(AgentSession session, Object reported) {
        session.heard();
        String name = session.name();
        Map<String, Object> info = reported == null || name == null ? null : ReportedNodeInfo.check(reported, name);
        Instant now = Instant.now();
        Instant written = name == null ? null : lastWritten.get(name);
        // A thousand agents beating every few seconds must not mean a thousand writes: fresh info is written at
        // once, a mere heartbeat at most every LAST_SEEN_WRITES.
        if (name != null && info == null && written != null && written.plus(LAST_SEEN_WRITES).isAfter(now)) {
            return;
        }
        if (name != null) {
            lastWritten.put(name, now);
            NodeRecord r = store.get(name).orElse(null);
            if (r != null) {
                // the node's name is the link's, as in hello: never what a heartbeat says (check sets it)
                Map<String, Object> fresh = info == null ? r.info() : info;
                // Several primaries share the node store: one the agent left may record that after this one's hello
                // said online. The link is here, so the node is online again by its next write.
                String state = r.state().equals(OFFLINE) && linked(name) ? ONLINE : r.state();
                store.upsert(name, fresh, state, Instant.now());
            }
        }
    }

    /** A link closed; the node is offline unless it is pending or revoked. */
    void left(AgentSession session) {
        String name = session.name();
        if (name != null && links.remove(name, session)) {
            store.get(name).ifPresent(r -> {
                if (r.state().equals(ONLINE)) {
                    store.upsert(name, r.info(), OFFLINE, r.lastSeen());
                }
            });
        }
    }

    /** Whether an agent has a live link now. */
    boolean linked(String name) {
        AgentSession link = links.get(name);
        return link != null && link.open();
    }

    /** Marks an agent offline that has been silent too long (its link may be half-open). */
    void silent(AgentSession session) {
        left(session);
        session.close(1001, "silent for longer than the grace period");
    }

    public boolean approve(String name) {
        NodeRecord r = store.get(name).orElse(null);
        if (r == null || !r.state().equals(PENDING)) {
            return false;
        }
        AgentSession live = links.get(name);
        store.upsert(name, r.info(), live != null && live.open() ? ONLINE : OFFLINE, r.lastSeen());
        if (live != null) {
            live.send(Map.of("type", "approved"));
        }
        return true;
    }

    public boolean revoke(String name) {
        NodeRecord r = store.get(name).orElse(null);
        if (r == null) {
            return false;
        }
        store.upsert(name, r.info(), REVOKED, r.lastSeen());
        AgentSession live = links.remove(name);
        if (live != null) {
            live.send(Map.of("type", "error", "code", "revoked", "message", "this node was revoked by an admin"));
            live.close(1008, "revoked");
        }
        return true;
    }

    /** Whether a node may run things (online, approved). */
    boolean runnable(String name) {
        return name.equals(primary.name())
                || (links.containsKey(name) && store.get(name).map(r -> r.state().equals(ONLINE)).orElse(false));
    }

    List<AgentSession> liveLinks() {
        return List.copyOf(links.values());
    }

    /** The names of the agents with a link open now (what this primary publishes in its cluster row). */
    public List<String> linkedAgentNames() {
        return List.copyOf(links.keySet());
    }

    /** How many agents have a link open now. */
    public int linkedAgents() {
        return links.size();
    }

    /** Where the link reports joins and poll round trips (the primary's metrics). */
    public void meter(LinkMeter meter) {
        this.meter = meter;
    }

    LinkMeter meter() {
        return meter;
    }

    PollClock polls() {
        return polls;
    }
}
