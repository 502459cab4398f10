/**
 * TLS shared by the primary, its agents and the CLI (docs/tls.md): reading PEM certificates and keys, building the
 * {@link javax.net.ssl.SSLContext}s each side uses, public-key fingerprints for pinning, and the private CA that
 * {@code steward tls init} makes. Everything cryptographic is the JDK's (JSSE) or Bouncy Castle's; this package only
 * wires them together.
 */
package io.steward.tls;
