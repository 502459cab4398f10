package io.steward.agent;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The primaries an agent may link to, and which one it tries next (docs/cluster.md, "Agents and failover").
 *
 * <p>The agent links to the first primary that answers. When a link it had drops, it first tries that same primary
 * again a few times ({@link #SAME_PRIMARY_ATTEMPTS}, with the link's backoff between them), because most drops are a
 * restart or a blip; then it moves on to the next URL, round-robin. Any other primary that does not answer is left
 * after one attempt. Primaries share one database, so the agent's credential is good on each, and its outbox
 * replays to whichever it reaches.
 *
 * <p>Each primary has its own {@link HttpClient}, because each has its own TLS trust ({@link PrimaryTrust}, its own
 * pin). A primary that fails that trust is left out from then on; only when every primary has been refused does
 * the agent end, with the last refusal. With one URL nothing of this shows: the agent retries it for ever, and a
 * refusal ends it, as before failover existed.
 *
 * <p>Not thread-safe: the link's one thread owns it.
 */
final class PrimaryRoster implements AutoCloseable {
    /** Connection attempts to the primary the agent was last joined to, before it moves on. */
    static final int SAME_PRIMARY_ATTEMPTS = 3;

    /** One primary: its base URL, its link URL, its trust (null over plain http) and the client that reaches it. */
    record Endpoint(URI primary, URI link, PrimaryTrust trust, HttpClient http) {
    }

    private final List<Endpoint> endpoints;
    private final boolean[] refused;
    private int current;
    /** The endpoint the agent was last joined to; -1 before its first join. */
    private int lastJoined = -1;
    private int failuresHere;

    private PrimaryRoster(List<Endpoint> endpoints) {
        this.endpoints = List.copyOf(endpoints);
        this.refused = new boolean[endpoints.size()];
    }

    /** One endpoint per primary of {@code config}, each with its own trust and HTTP client. */
    static PrimaryRoster of(AgentConfig config) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < config.primaries().size(); i++) {
            URI primary = config.primaries().get(i);
            PrimaryTrust trust = PrimaryTrust.of(config, i);
            HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
            if (trust != null) {
                http.sslContext(trust.context());
            }
            endpoints.add(new Endpoint(primary, AgentConfig.linkUri(primary), trust, http.build()));
        }
        return new PrimaryRoster(endpoints);
    }

    /** The primary to try now. */
    Endpoint current() {
        return endpoints.get(current);
    }

    int size() {
        return endpoints.size();
    }

    /** The current primary welcomed the agent. */
    void joined() {
        lastJoined = current;
        failuresHere = 0;
    }

    /**
     * An attempt to reach the current primary failed, or its link dropped. Returns the primary to try next: the one
     * the agent was joined to until the drop and {@link #SAME_PRIMARY_ATTEMPTS} attempts after it have failed, any
     * other after one failed attempt; then the next one that has not been refused.
     */
    Endpoint failed() {
        failuresHere++;
        // the drop itself counts as one failure of the primary the agent was joined to
        int allowed = current == lastJoined ? 1 + SAME_PRIMARY_ATTEMPTS : 1;
        if (failuresHere >= allowed) {
            advance();
        }
        return current();
    }

    /**
     * The current primary failed this agent's trust (another key than its pin): it is not tried again.
     *
     * @throws PrimaryNotTrustedException {@code refusal} itself when no primary is left to try
     */
    Endpoint refuse(PrimaryNotTrustedException refusal) {
        refused[current] = true;
        for (boolean r : refused) {
            if (!r) {
                advance();
                return current();
            }
        }
        throw refusal;
    }

    private void advance() {
        int from = current;
        do {
            current = (current + 1) % endpoints.size();
        } while (refused[current] && current != from);
        failuresHere = 0;
    }

    @Override
    public void close() {
        endpoints.forEach(e -> e.http().close());
    }
}
