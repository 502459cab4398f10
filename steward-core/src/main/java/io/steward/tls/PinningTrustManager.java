package io.steward.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Trusts a server by its CA, by the fingerprint of its key, or both (docs/tls.md, "Pinning").
 *
 * <p>With an expected fingerprint (a pin, or one the operator gave), the server's key must be exactly that key, or
 * the handshake fails with {@link PinMismatchException}. With a CA, the chain must also end at it, and the host name
 * must match the certificate (the CA's PKIX trust manager checks both). With a fingerprint alone the host name is not
 * checked: the key itself is the identity, as with SSH's known hosts. With neither nothing is trusted.
 *
 * <p>Remembers the fingerprint of the last key that passed, so the caller can pin it once the join succeeded.
 */
public final class PinningTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager ca;
    private final java.util.function.Supplier<Fingerprint> expected;
    private final AtomicReference<Fingerprint> lastTrusted = new AtomicReference<>();

    /**
     * @param ca       trust manager of the CA to validate chains with ({@link TlsContexts#trusting}), or null
     * @param expected the key the server must present, or null to accept any that {@code ca} accepts
     */
    public PinningTrustManager(javax.net.ssl.X509TrustManager ca, Fingerprint expected) {
        this(ca, () -> expected);
        if (ca == null && expected == null) {
            throw new IllegalArgumentException("a server is trusted by a CA or by its fingerprint: give one");
        }
    }

    /**
     * @param expected asked at each handshake: the key the server must present then (a pin written since counts), or
     *                 null to accept any that {@code ca} accepts; with no {@code ca}, a null refuses every server
     */
    public PinningTrustManager(javax.net.ssl.X509TrustManager ca, java.util.function.Supplier<Fingerprint> expected) {
        if (ca != null && !(ca instanceof X509ExtendedTrustManager)) {
            throw new IllegalArgumentException("the CA trust manager must check host names (X509ExtendedTrustManager)");
        }
        this.ca = (X509ExtendedTrustManager) ca;
        this.expected = expected;
    }

    /** The fingerprint of the last server key this manager trusted; null before the first handshake. */
    public Fingerprint lastTrusted() {
        return lastTrusted.get();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        Fingerprint seen = pin(chain);
        if (ca != null) {
            ca.checkServerTrusted(chain, authType, socket);
        }
        lastTrusted.set(seen);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        Fingerprint seen = pin(chain);
        if (ca != null) {
            ca.checkServerTrusted(chain, authType, engine);
        }
        lastTrusted.set(seen);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        Fingerprint seen = pin(chain);
        if (ca != null) {
            ca.checkServerTrusted(chain, authType);
        }
        lastTrusted.set(seen);
    }

    private Fingerprint pin(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server presented no certificate");
        }
        Fingerprint seen = Fingerprint.of(chain[0]);
        Fingerprint want = expected.get();
        if (want != null && !want.equals(seen)) {
            throw new PinMismatchException(want, seen);
        }
        if (want == null && ca == null) {
            throw new CertificateException("no CA and no fingerprint to trust the server's key " + seen + " by");
        }
        return seen;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("this trust manager is for servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("this trust manager is for servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("this trust manager is for servers only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return ca == null ? new X509Certificate[0] : ca.getAcceptedIssuers();
    }

    /** The server presented another key than the one expected. */
    public static final class PinMismatchException extends CertificateException {
        private final Fingerprint expected;
        private final Fingerprint seen;

        PinMismatchException(Fingerprint expected, Fingerprint seen) {
            super("the server's key is " + seen + ", expected " + expected);
            this.expected = expected;
            this.seen = seen;
        }

        public Fingerprint expected() {
            return expected;
        }

        public Fingerprint seen() {
            return seen;
        }
    }
}
