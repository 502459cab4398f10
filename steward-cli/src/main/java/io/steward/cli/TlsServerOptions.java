package io.steward.cli;

import io.steward.tls.ServerTls;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The TLS options of {@code steward server} (docs/tls.md); {@code steward demo} has none: it stays plain HTTP. */
final class TlsServerOptions {
    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "Serve HTTPS (and the agent link as wss) with this PEM certificate (chain); needs --tls-key. Plain HTTP is then not served.")
    Path cert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM private key (PKCS#8, RSA or EC) of --tls-cert. Keep it mode 0600.")
    Path key;

    @Option(names = "--tls-keystore", paramLabel = "FILE", description = "Serve HTTPS with the key and certificate of this PKCS12 keystore instead.")
    Path keystore;

    @Option(names = "--tls-keystore-password", paramLabel = "PASSWORD", defaultValue = "${env:STEWARD_TLS_KEYSTORE_PASSWORD}",
            description = "The keystore's password (default: $STEWARD_TLS_KEYSTORE_PASSWORD; prefer it: other users can see command lines).")
    String keystorePassword;

    @Option(names = "--tls-client-ca", paramLabel = "FILE",
            description = "Mutual TLS: agents must present a client certificate that chains to this PEM CA certificate.")
    Path clientCa;

    /** The primary's TLS, or null for plain HTTP. */
    ServerTls tls() {
        return ServerTls.of(cert, key, keystore, keystorePassword, clientCa);
    }
}
