package io.steward.nodes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.websocket.WsCloseContext;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsMessageContext;
import io.steward.store.Role;
import io.steward.store.StoreConflictException;
import io.steward.store.TokenInfo;
import io.steward.store.TokenStore;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The primary's end of the agent link, {@code WS /api/v1/agent} (docs/agent-protocol.md). An agent authenticates
 * with an agent-role token: a join token the first time, after which it is given its own credential, a token named
 * {@code node@<name>}. A join token creates new node names only; a name with a credential is refused to it until an
 * admin revokes that node. Frames are dispatched from an explicit allowlist ({@link #FRAME_TYPES}); a malformed or
 * unknown one is answered with an {@code error} frame and logged, and the link stays up.
 */
public final class AgentLink {
    public static final String PATH = "/api/v1/agent";
    /** The servlet request attribute with the client's verified certificate chain (set on TLS connections). */
    private static final String CLIENT_CERTIFICATES = "jakarta.servlet.request.X509Certificate";
    public static final String CREDENTIAL_PREFIX = "node@";
    /** Where an agent keeps its credential in its data folder (steward-agent's {@code CredentialFile}). */
    private static final String CREDENTIAL_FILE = "agent.credential";
    private static final System.Logger LOG = System.getLogger(AgentLink.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SESSION = "steward.agent";

    /**
     * The allowlist: every frame type an agent may send, and what handles it (docs/agent-protocol.md, "Frames the
     * primary accepts"). A type that is not here is refused with {@code bad_message}.
     */
    @SuppressWarnings("unchecked")
    private static final AgentFrames FRAMES = new AgentFrames(Map.ofEntries(
            Map.entry(AgentFrames.HELLO, (link, s, f) -> link.hello(s, f)),
            Map.entry("heartbeat", (link, s, f) -> link.nodes.heard(s, f.get("info"))),
            Map.entry("created", (link, s, f) -> link.runs.created(s, (Map<String, Object>) f.get("run"))),
            Map.entry("events", (link, s, f) -> link.runs.events(s, (String) f.get("id"),
                    (List<Map<String, Object>>) f.get("events"))),
            Map.entry("ended", (link, s, f) -> link.runs.ended(s, (Map<String, Object>) f.get("run"))),
            Map.entry("refused", (link, s, f) -> link.runs.refused(s, (String) f.get("id"),
                    String.valueOf(f.get("message")))),
            Map.entry("status", (link, s, f) -> link.status(s, f)),
            Map.entry("delivered", (link, s, f) -> link.messages.answered(s, f)),
            Map.entry("undeliverable", (link, s, f) -> link.messages.answered(s, f)),
            Map.entry("child", (link, s, f) -> link.children.start(s, f)),
            Map.entry("coord", (link, s, f) -> link.coordination.handle(s, f)),
            Map.entry("error", (link, s, f) -> LOG.log(System.Logger.Level.WARNING, "agent {0} reports: {1}",
                    s.name(), f.get("message")))));

    /** The frame types an agent may send: the keys of the allowlist. */
    public static final java.util.Set<String> FRAME_TYPES = FRAMES.types();

    private final AgentCoordination coordination;
    private final TokenStore tokens;
    private final Nodes nodes;
    private final RemoteRuns runs;
    private final RemoteMessages messages;
    private final Duration pollInterval;
    private final Duration heartbeat;
    private final AgentChildRuns children;
    private final io.steward.coordinator.EventLimits limits;
    /** Mutual TLS (docs/tls.md): agents must present a client certificate, which the TLS handshake has verified. */
    private volatile boolean requireClientCertificates;

    /** @param limits the primary's event limits: sent to every agent in its welcome, for its runs to keep */
    public AgentLink(TokenStore tokens, Nodes nodes, RemoteRuns runs, RemoteMessages messages, Duration pollInterval,
                     Duration heartbeat, AgentChildRuns children, AgentCoordination coordination,
                     io.steward.coordinator.EventLimits limits) {
        this.limits = limits;
        this.children = children;
        this.coordination = coordination;
        this.tokens = tokens;
        this.nodes = nodes;
        this.runs = runs;
        this.messages = messages;
        this.pollInterval = pollInterval;
        this.heartbeat = heartbeat;
        tokens.onRevoke(this::revoked);
    }

    /**
     * A revoked token ends the links it holds at once: the link of the node whose credential it was, and any link
     * still opened with it. (A join token's agents hold credentials of their own once joined: revoking the join
     * token stops new joins, not them.)
     */
    private void revoked(String token) {
        for (AgentSession live : nodes.liveLinks()) {
            boolean credential = live.name() != null && token.equals(CREDENTIAL_PREFIX + live.name());
            if (credential || token.equals(live.tokenName()) && live.tokenName().startsWith(CREDENTIAL_PREFIX)) {
                LOG.log(System.Logger.Level.INFO, "agent {0}: its credential was revoked, closing its link", live.name());
                live.send(error("revoked", "this node's credential was revoked by an admin"));
                live.close(1008, "revoked");
            }
        }
    }

    /**
     * Refuses agents that did not present a client certificate. The chain itself is checked by the TLS handshake
     * against the primary's client CA; a certificate that fails it never gets here.
     */
    public void requireClientCertificates() {
        this.requireClientCertificates = true;
    }

    public void register(JavalinConfig config) {
        // Poll answers carry a snapshot of every run an agent holds: more than WebSocket's usual 64 KiB per message.
        config.jetty.modifyWebSocketServletFactory(factory -> factory.setMaxTextMessageSize(16 << 20));
        config.routes.ws(PATH, ws -> {
            ws.onConnect(this::connect);
            ws.onMessage(this::message);
            ws.onClose(this::closed);
            ws.onError(ctx -> LOG.log(System.Logger.Level.DEBUG, "agent link error", ctx.error()));
        });
    }

    private void connect(WsConnectContext ctx) {
        // Agents may sit quietly between heartbeats; the grace monitor, not Jetty, decides when one is gone.
        ctx.session.setIdleTimeout(Duration.ofMinutes(10));
        String origin = ctx.header("Origin");
        if (origin != null && !SameOrigin.matches(origin, ctx.header("Host"))) {
            // Jenkins CVE-2024-23898: a page on another site must not open the link in a visitor's name.
            String why = "the agent link refuses WebSocket upgrades from web pages of other sites (Origin '"
                    + origin + "'): agents send no Origin header";
            LOG.log(System.Logger.Level.WARNING, "agent link refused: {0}", why);
            refuse(ctx, "forbidden_origin", why);
            return;
        }
        if (requireClientCertificates && ctx.attribute(CLIENT_CERTIFICATES) == null) {
            String why = "this primary requires a client certificate on the agent link (mutual TLS): start the agent "
                    + "with --tls-cert FILE --tls-key FILE, a certificate issued by the primary's client CA "
                    + "('steward tls init --agent NAME' makes one)";
            LOG.log(System.Logger.Level.WARNING, "agent link refused: {0}", why);
            refuse(ctx, "unauthorized", why);
            return;
        }
        String header = ctx.header("Authorization");
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
        Optional<TokenInfo> found = token == null ? Optional.empty() : tokens.authenticate(token);
        boolean expired = found.isPresent() && found.get().expiredAt(java.time.Instant.now());
        if (found.isEmpty() || found.get().role() != Role.AGENT || expired) {
            String why = token == null ? "the agent link needs 'Authorization: Bearer <join token or credential>'"
                    : expired ? "the token '" + found.get().name() + "' expired at " + found.get().expiresAt()
                    + ": create a new join token with 'steward token create --role agent --name N'"
                    : found.isEmpty() ? "the join token or credential is unknown or revoked: create a join token with "
                    + "'steward token create --role agent --name N' and start the agent with --join-token"
                    : "the token '" + found.get().name() + "' has the role " + found.get().role().key()
                    + ", not agent: create one with --role agent";
            LOG.log(System.Logger.Level.WARNING, "agent link refused: {0}", why);
            refuse(ctx, "unauthorized", why);
            return;
        }
        ctx.attribute(SESSION, new AgentSession(ctx, found.get().name()));
    }

    @SuppressWarnings("unchecked")
    private void message(WsMessageContext ctx) {
        AgentSession session = ctx.attribute(SESSION);
        if (session == null) {
            return;
        }
        Map<String, Object> frame;
        try {
            Object value = JSON.readValue(ctx.message(), Object.class);
            if (!(value instanceof Map<?, ?> map) || !(map.get("type") instanceof String)) {
                throw new IllegalArgumentException("a frame is a JSON object with a string 'type'");
            }
            frame = (Map<String, Object>) map;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String why = e instanceof JsonProcessingException j ? "not JSON: " + j.getOriginalMessage() : e.getMessage();
            nodes.meter().refusedFrame("malformed");
            LOG.log(System.Logger.Level.WARNING, "malformed frame from agent {0}: {1}", session.name(), why);
            session.send(error("bad_message", "malformed frame: " + why));
            return;
        }
        session.heard();
        String type = (String) frame.get("type");
        try {
            FRAMES.dispatch(this, session, type, frame);
        } catch (LinkRefusedException e) {
            nodes.meter().refusedFrame(FRAME_TYPES.contains(type) ? type : "unknown");
            LOG.log(System.Logger.Level.WARNING, "agent {0}: {1}", session.name(), e.getMessage());
            session.send(error(e.code, e.getMessage()));
            if (!e.code.equals("bad_message")) {
                session.close(1008, e.code);
            }
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            nodes.meter().refusedFrame(type); // a type of the allowlist: unknown ones are refused above
            LOG.log(System.Logger.Level.WARNING, "malformed {0} frame from agent {1}: {2}", type, session.name(), e.getMessage());
            session.send(error("bad_message", "malformed '" + type + "' frame: " + e.getMessage()));
        }
    }

    /** A poll's answer: its latency is metered, then the runs' snapshots go to the remote runs. */
    @SuppressWarnings("unchecked")
    private void status(AgentSession session, Map<String, Object> frame) {
        Duration latency = nodes.polls().since(frame.get("pollId"));
        if (latency != null) {
            nodes.meter().polled(latency);
        }
        runs.status(session, (List<Map<String, Object>>) frame.get("runs"));
    }

    @SuppressWarnings("unchecked")
    private void hello(AgentSession session, Map<String, Object> frame) {
        String name = (String) frame.get("name");
        if (name == null || !name.matches("[A-Za-z0-9_.\\-]{1,63}")) {
            throw new LinkRefusedException("bad_message", "the node name '" + name
                    + "' must be 1 to 63 letters, digits, '-', '_' or '.'");
        }
        boolean credential = session.tokenName().startsWith(CREDENTIAL_PREFIX);
        if (credential && !session.tokenName().equals(CREDENTIAL_PREFIX + name)) {
            throw new LinkRefusedException("conflict", "this credential belongs to '"
                    + session.tokenName().substring(CREDENTIAL_PREFIX.length()) + "', not '" + name + "'");
        }
        // every field of the info is checked before anything is stored or a credential is issued
        Map<String, Object> info = ReportedNodeInfo.check(frame.get("info") == null ? Map.of() : frame.get("info"), name);
        Map<String, String> labels = ReportedNodeInfo.labels(frame.get("labels"));
        if (labels != null) {
            info.put("labels", labels);
        }
        String issued = credential ? null : issueCredential(session, name);
        String state;
        try {
            state = nodes.join(session, name, info, !credential);
        } catch (LinkRefusedException e) {
            if (issued != null) {
                tokens.revoke(CREDENTIAL_PREFIX + name); // the name stays free for whoever may have it
            }
            throw e;
        }
        // Before the welcome, after which the agent replays: runs another primary sent it are this one's from now on.
        runs.adoptRunsOf(name);
        Map<String, Object> welcome = new LinkedHashMap<>();
        welcome.put("type", "welcome");
        welcome.put("name", name);
        welcome.put("state", state);
        if (issued != null) {
            welcome.put("credential", issued);
        }
        welcome.put("pollIntervalMs", pollInterval.toMillis());
        welcome.put("heartbeatMs", heartbeat.toMillis());
        welcome.put("limits", Map.of("eventBytes", (long) limits.maxEventBytes(),
                "eventsPerSecond", (long) limits.eventsPerSecond()));
        session.send(welcome);
        nodes.meter().joined(credential);
        LOG.log(System.Logger.Level.DEBUG, "agent {0} joined ({1})", name, state);
        messages.joined(session);
        // Claim 6: poll at once after a (re)connect, so the primary learns what happened while the link was down.
        session.send(Map.of("type", "poll", "pollId", nodes.polls().next("hello")));
    }

    /**
     * Gives a node its credential on its first join with a join token. A join token only ever creates a node name:
     * a name that has a credential belongs to the agent holding it, and anyone else with a join token could
     * otherwise take over an offline node and its runs. The name is free again once an admin has revoked the node
     * (or its credential token). Creating the token is the claim, so of two agents joining under one new name at
     * once exactly one gets it.
     */
    private String issueCredential(AgentSession session, String name) {
        String credential = CREDENTIAL_PREFIX + name;
        if (!tokens.exists(credential)) {
            try {
                return tokens.create(credential, Role.AGENT, session.tokenName()).token();
            } catch (StoreConflictException raced) {
                // another agent took the name a moment ago: the same answer as if it had been first by longer
            }
        }
        throw new LinkRefusedException("conflict", "the node '" + name + "' has joined before and has a credential: "
                + "a join token cannot take over a node name. If this is that node's agent, start it with the data "
                + "folder that holds its credential (--data, file " + CREDENTIAL_FILE + "). If that agent is gone "
                + "for good, an admin runs 'steward node revoke " + name + "' first; then this agent may join as '"
                + name + "'. Otherwise choose another --name.");
    }

    private void closed(WsCloseContext ctx) {
        AgentSession session = ctx.attribute(SESSION);
        if (session != null) {
            messages.closed(session);
            try {
                nodes.left(session);
            } catch (RuntimeException e) {
                // Links close while the primary shuts down, after its store: the node is offline all the same.
                LOG.log(System.Logger.Level.DEBUG, "could not record that agent {0} left: {1}", session.name(), e.getMessage());
            }
        }
    }

    private static void refuse(WsContext ctx, String code, String message) {
        try {
            ctx.send(JSON.writeValueAsString(error(code, message)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ctx.closeSession(1008, code);
    }

    private static Map<String, Object> error(String code, String message) {
        return Map.of("type", "error", "code", code, "message", message);
    }
}
