package io.steward.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A private CA and certificates in a folder, laid out as {@code steward tls init} does, made with the production
 * {@link CertificateAuthority}: for tests that start primaries and agents over TLS.
 */
public final class TestCertificates {
    public final Path dir;
    public final CertificateAuthority ca;

    private TestCertificates(Path dir, CertificateAuthority ca) {
        this.dir = dir;
        this.ca = ca;
    }

    /** A new CA in {@code dir} ({@code ca.pem}). */
    public static TestCertificates create(Path dir) throws IOException {
        Files.createDirectories(dir);
        CertificateAuthority ca = CertificateAuthority.create("Test CA");
        Files.writeString(dir.resolve("ca.pem"), Pem.encode(ca.certificate()));
        return new TestCertificates(dir, ca);
    }

    public Path caCert() {
        return dir.resolve("ca.pem");
    }

    /** A new primary certificate for 127.0.0.1 and localhost, under {@code name}.pem / .key (a new key each call). */
    public ServerTls primary(String name) throws IOException {
        CertificateAuthority.Issued issued = ca.issueServer("127.0.0.1", List.of("127.0.0.1", "localhost"));
        Path cert = dir.resolve(name + ".pem");
        Path key = dir.resolve(name + ".key");
        Files.writeString(cert, Pem.encode(issued.certificate(), ca.certificate()));
        Files.writeString(key, Pem.encode(issued.key()));
        return new ServerTls(cert, key, null, null, null);
    }

    /** A client certificate for the agent {@code name}: {@code [cert, key]}. */
    public Path[] agent(String name) throws IOException {
        CertificateAuthority.Issued issued = ca.issueClient(name);
        Path cert = dir.resolve("agent-" + name + ".pem");
        Path key = dir.resolve("agent-" + name + ".key");
        Files.writeString(cert, Pem.encode(issued.certificate(), ca.certificate()));
        Files.writeString(key, Pem.encode(issued.key()));
        return new Path[]{cert, key};
    }
}
