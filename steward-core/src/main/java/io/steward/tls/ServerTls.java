package io.steward.tls;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import java.nio.file.Path;
import java.security.cert.X509Certificate;

/**
 * How a primary speaks TLS: its certificate and key as PEM files, or a PKCS12 keystore; and, for mutual TLS on the
 * agent link, the CA whose client certificates it asks agents for.
 *
 * @param certFile         PEM certificate (chain) of the primary, or null with a keystore
 * @param keyFile          PEM private key (PKCS#8, RSA or EC) for {@code certFile}
 * @param keystore         PKCS12 keystore holding the key and certificate, or null with PEM files
 * @param keystorePassword the keystore's password
 * @param clientCa         PEM CA certificate(s) that agents' client certificates must chain to; null for none
 */
public record ServerTls(Path certFile, Path keyFile, Path keystore, String keystorePassword, Path clientCa) {

    public ServerTls {
        boolean pem = certFile != null || keyFile != null;
        if (pem && keystore != null) {
            throw new TlsException("give either --tls-cert and --tls-key (PEM) or --tls-keystore (PKCS12), not both");
        }
        if (pem && (certFile == null || keyFile == null)) {
            throw new TlsException("--tls-cert and --tls-key go together: give both (steward tls init makes a pair)");
        }
        if (!pem && keystore == null) {
            throw new TlsException("TLS needs --tls-cert and --tls-key, or --tls-keystore");
        }
    }

    /** From the options of {@code steward server}; null when none of them is given (plain HTTP). */
    public static ServerTls of(Path certFile, Path keyFile, Path keystore, String keystorePassword, Path clientCa) {
        if (certFile == null && keyFile == null && keystore == null) {
            if (clientCa != null) {
                throw new TlsException("--tls-client-ca needs TLS: give --tls-cert and --tls-key, or --tls-keystore");
            }
            return null;
        }
        return new ServerTls(certFile, keyFile, keystore, keystorePassword, clientCa);
    }

    /** Whether agents must present a certificate that chains to {@link #clientCa()}. */
    public boolean requiresClientCertificates() {
        return clientCa != null;
    }

    /** The server's context: its key and certificate, and the client CA's trust when mutual TLS is on. */
    public SSLContext sslContext() {
        KeyManager[] keys = keystore != null ? TlsContexts.keyManagers(keystore, password())
                : TlsContexts.keyManagers(certFile, keyFile);
        X509TrustManager trust = clientCa == null ? null : TlsContexts.trusting(clientCa);
        return TlsContexts.context(keys, trust);
    }

    /** The certificate the primary presents, for its fingerprint. */
    public X509Certificate certificate() {
        return keystore != null ? TlsContexts.keystoreCertificate(keystore, password()) : Pem.certificates(certFile).getFirst();
    }

    private char[] password() {
        return keystorePassword == null ? new char[0] : keystorePassword.toCharArray();
    }

    @Override
    public String toString() {
        return "ServerTls[" + (keystore != null ? "keystore=" + keystore : "cert=" + certFile + ", key=" + keyFile)
                + (clientCa != null ? ", clientCa=" + clientCa : "") + "]"; // never the password
    }
}
