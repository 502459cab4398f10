package io.steward.agent;

import io.steward.tls.Fingerprint;

import java.nio.file.Path;

/**
 * How an agent trusts an {@code https:} primary and proves itself to it (docs/tls.md).
 *
 * @param caCert             PEM CA certificate(s) the primary's certificate must chain to; null to trust by fingerprint
 * @param primaryFingerprint the primary's key ({@code sha256:…}): accepted on first contact without a CA, and, when
 *                           given, it replaces the pin (the way to re-pin after a deliberate key change); null for none
 * @param clientCert         PEM client certificate for mutual TLS, or null
 * @param clientKey          its PEM private key, or null
 */
public record AgentTls(Path caCert, Fingerprint primaryFingerprint, Path clientCert, Path clientKey) {
    public static final AgentTls NONE = new AgentTls(null, null, null, null);

    public AgentTls {
        if ((clientCert == null) != (clientKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together: give both (steward tls init --agent NAME makes a pair)");
        }
    }
}
