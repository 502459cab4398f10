package io.steward.agent;

import io.steward.UserHome;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How an agent joins its primary. Build with {@link #of} and the {@code with…} methods; every setting but the
 * primaries' URLs has a default.
 *
 * @param primaries      the primaries' base URLs, {@code http(s)://host:port}, in the order they are tried (several
 *                       primaries share one database, docs/cluster.md "Agents and failover"); each one's link is
 *                       {@code ws(s)://host:port/api/v1/agent}
 * @param joinToken      a token of role {@code agent}; used until the primary gives the agent its own credential
 *                       ({@code null} when the data directory already holds one)
 * @param name           the node name; {@code null} for the host name
 * @param labels         the node's labels, such as {@code role=web}
 * @param dataDir        holds {@code agent.credential} and {@code outbox/}; {@code null} for {@code ~/.steward-agent}
 *                       under {@link UserHome}
 * @param heartbeat      how often to send a heartbeat; {@code null} to use the primary's {@code heartbeatMs}
 * @param backoffInitial the first reconnect wait's ceiling
 * @param backoffMax     the largest reconnect wait
 * @param outboxMaxBytes the bound of the on-disk buffer of unacknowledged events
 * @param tls            how an {@code https:} primary is trusted and the agent's client certificate ({@link AgentTls})
 */
public record AgentConfig(List<URI> primaries, String joinToken, String name, Map<String, String> labels, Path dataDir,
                          Duration heartbeat, Duration backoffInitial, Duration backoffMax, long outboxMaxBytes,
                          AgentTls tls) {

    public static final long DEFAULT_OUTBOX_BYTES = 256L * 1024 * 1024;
    public static final String LINK_PATH = "/api/v1/agent";

    public AgentConfig {
        if (primaries == null || primaries.isEmpty()) {
            throw new IllegalArgumentException("at least one primary URL is needed, such as http://primary:7640");
        }
        for (URI primary : primaries) {
            if (primary == null || primary.getHost() == null
                    || !("http".equals(primary.getScheme()) || "https".equals(primary.getScheme()))) {
                throw new IllegalArgumentException("a primary must be an http(s)://host:port URL, was " + primary);
            }
        }
        if (new LinkedHashSet<>(primaries).size() != primaries.size()) {
            throw new IllegalArgumentException("each primary URL may be given once, were " + primaries);
        }
        primaries = List.copyOf(primaries);
        tls = tls == null ? AgentTls.NONE : tls;
        labels = labels == null ? Map.of() : Map.copyOf(new TreeMap<>(labels));
        dataDir = dataDir != null ? dataDir : UserHome.directory().resolve(".steward-agent");
        backoffInitial = backoffInitial != null ? backoffInitial : Duration.ofMillis(500);
        backoffMax = backoffMax != null ? backoffMax : Duration.ofSeconds(30);
        if (heartbeat != null && (heartbeat.isZero() || heartbeat.isNegative())) {
            throw new IllegalArgumentException("heartbeat must be positive, was " + heartbeat);
        }
        if (outboxMaxBytes <= 0) {
            throw new IllegalArgumentException("outboxMaxBytes must be positive, was " + outboxMaxBytes);
        }
    }

    /**
     * An agent of the primary at {@code primaryUrls} ({@code http(s)://host:port}, or several such URLs separated by
     * commas, in the order they are tried) with every default.
     */
    public static AgentConfig of(String primaryUrls, String joinToken) {
        return of(primaryUrls == null ? List.of() : List.of(primaryUrls), joinToken);
    }

    /**
     * An agent of the primaries at {@code primaryUrls}, tried in this order (each entry may itself be a
     * comma-separated list, as {@code --primary} takes it), with every default.
     */
    public static AgentConfig of(List<String> primaryUrls, String joinToken) {
        List<URI> uris = new ArrayList<>();
        for (String entry : primaryUrls) {
            for (String url : entry.split(",")) {
                if (url.isBlank()) {
                    continue;
                }
                try {
                    uris.add(URI.create(url.strip()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("a primary must be an http(s)://host:port URL, was " + url, e);
                }
            }
        }
        return new AgentConfig(uris, joinToken, null, Map.of(), null, null, null, null, DEFAULT_OUTBOX_BYTES, null);
    }

    /** The first primary: the one tried first, and the only one of an agent given one URL. */
    public URI primary() {
        return primaries.get(0);
    }

    public AgentConfig withName(String name) {
        return new AgentConfig(primaries, joinToken, name, labels, dataDir, heartbeat, backoffInitial, backoffMax,
                outboxMaxBytes, tls);
    }

    public AgentConfig withLabels(Map<String, String> labels) {
        return new AgentConfig(primaries, joinToken, name, labels, dataDir, heartbeat, backoffInitial, backoffMax,
                outboxMaxBytes, tls);
    }

    public AgentConfig withDataDir(Path dataDir) {
        return new AgentConfig(primaries, joinToken, name, labels, dataDir, heartbeat, backoffInitial, backoffMax,
                outboxMaxBytes, tls);
    }

    public AgentConfig withHeartbeat(Duration heartbeat) {
        return new AgentConfig(primaries, joinToken, name, labels, dataDir, heartbeat, backoffInitial, backoffMax,
                outboxMaxBytes, tls);
    }

    public AgentConfig withBackoff(Duration initial, Duration max) {
        return new AgentConfig(primaries, joinToken, name, labels, dataDir, heartbeat, initial, max, outboxMaxBytes, tls);
    }

    public AgentConfig withOutboxMaxBytes(long bytes) {
        return new AgentConfig(primaries, joinToken, name, labels, dataDir, heartbeat, backoffInitial, backoffMax,
                bytes, tls);
    }

    public AgentConfig withTls(AgentTls tls) {
        return new AgentConfig(primaries, joinToken, name, labels, dataDir, heartbeat, backoffInitial, backoffMax,
                outboxMaxBytes, tls);
    }

    /** The first primary's link URL ({@link #linkUri(URI)}). */
    public URI linkUri() {
        return linkUri(primary());
    }

    /** A primary's link URL: its scheme turned into ws(s), same host and port, path {@value #LINK_PATH}. */
    public static URI linkUri(URI primary) {
        String scheme = "https".equals(primary.getScheme()) ? "wss" : "ws";
        String prefix = primary.getRawPath() == null ? "" : primary.getRawPath().replaceAll("/+$", "");
        return URI.create(scheme + "://" + primary.getRawAuthority() + prefix + LINK_PATH);
    }
}
