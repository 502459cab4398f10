package io.steward.agent;

import io.steward.tls.Fingerprint;
import io.steward.tls.PinningTrustManager;
import io.steward.tls.TlsContexts;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;

/**
 * Whether this agent trusts the {@code https:} primary it reaches (docs/tls.md, "Pinning"): by the CA of
 * {@code --ca-cert}, by {@code --primary-fingerprint}, and always by the pin of the first join.
 *
 * <p>The key expected at each handshake is {@code --primary-fingerprint} when given, else the pin. The first join
 * pins the key it met; a given fingerprint that differs from the pin replaces it, which is the way to accept a
 * primary's new key without deleting files. A primary presenting another key than the expected one is refused with
 * {@link PrimaryNotTrustedException} before anything is sent to it.
 *
 * <p>An agent given several primaries has one trust per primary, each with its own pin ({@link PrimaryPin#of}):
 * failing over to a primary never trusts it by another primary's pin, and a primary that shows another key than
 * its own pin is refused the same way.
 */
final class PrimaryTrust {
    private final URI link;
    private final AgentTls tls;
    private final PrimaryPin pin;
    private final PinningTrustManager trust;
    private final SSLContext context;

    private PrimaryTrust(URI link, AgentTls tls, PrimaryPin pin) {
        this.link = link;
        this.tls = tls;
        this.pin = pin;
        this.trust = new PinningTrustManager(tls.caCert() == null ? null : TlsContexts.trusting(tls.caCert()),
                this::expected);
        KeyManager[] keys = tls.clientCert() == null ? null : TlsContexts.keyManagers(tls.clientCert(), tls.clientKey());
        this.context = TlsContexts.context(keys, trust);
    }

    /** The trust of the agent of {@code config} in its first primary; null for a plain {@code http:} primary. */
    static PrimaryTrust of(AgentConfig config) {
        return of(config, 0);
    }

    /**
     * The trust of the agent of {@code config} in its primary number {@code index}; null for a plain {@code http:}
     * primary.
     */
    static PrimaryTrust of(AgentConfig config, int index) {
        URI primary = config.primaries().get(index);
        if (!"https".equals(primary.getScheme())) {
            return null;
        }
        PrimaryPin pin = PrimaryPin.of(config.dataDir(), primary, index);
        AgentTls tls = config.tls();
        if (tls.caCert() == null && tls.primaryFingerprint() == null && pin.read().isEmpty()) {
            throw new IllegalArgumentException("cannot trust " + primary + " yet: give --ca-cert FILE (the CA "
                    + "that signed the primary's certificate, e.g. the ca.pem of `steward tls init`) or "
                    + "--primary-fingerprint sha256:… (the key fingerprint the primary prints when it starts)"
                    + (config.primaries().size() > 1 ? "; with several primaries of different keys, a CA that signed "
                    + "all their certificates is the way to trust each" : ""));
        }
        return new PrimaryTrust(AgentConfig.linkUri(primary), tls, pin);
    }

    SSLContext context() {
        return context;
    }

    private Fingerprint expected() {
        return tls.primaryFingerprint() != null ? tls.primaryFingerprint() : pin.read().orElse(null);
    }

    /** After a successful join: pins the key met, unless it is pinned already. */
    void joined() throws IOException {
        Fingerprint seen = trust.lastTrusted();
        if (seen != null && !seen.equals(pin.read().orElse(null))) {
            pin.write(seen);
            System.getLogger(PrimaryTrust.class.getName()).log(System.Logger.Level.INFO,
                    "pinned the primary's key " + seen + " in " + pin.path());
        }
    }

    /** The refusal of a primary that showed another key than expected. */
    PrimaryNotTrustedException mismatch(PinningTrustManager.PinMismatchException e) {
        String where = tls.primaryFingerprint() != null ? "--primary-fingerprint gives " + e.expected()
                : "this agent pinned " + e.expected() + " in " + pin.path() + " when it first joined";
        return new PrimaryNotTrustedException("the primary at " + link + " presents the key " + e.seen() + ", but "
                + where + "; nothing was sent to it. If the primary's certificate was replaced on purpose with a new "
                + "key, delete " + pin.path() + " (with --ca-cert the new certificate is still checked against the "
                + "CA) or start the agent with --primary-fingerprint " + e.seen() + "; if not, something may be "
                + "impersonating the primary");
    }
}
