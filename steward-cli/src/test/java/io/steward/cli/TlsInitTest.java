package io.steward.cli;

import io.steward.tls.Fingerprint;
import io.steward.tls.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code steward tls init} makes a CA and certificates that the JDK's PKIX validation accepts, with the host names
 * asked for, client certificates for agents, keys readable by their owner only, and says which files are secret.
 */
class TlsInitTest {
    @TempDir
    Path dir;

    @Test
    void makesAChainThatVerifiesWithTheHostsAndPrivateKeys() throws Exception {
        Path out = dir.resolve("certs");
        CliRunner init = CliRunner.run("tls", "init", "--out", out.toString(), "--host", "steward.example.com,10.1.2.3",
                "--agent", "web-1", "--agent", "web-2");
        assertThat(init.exitCode()).as(init.err()).isZero();

        X509Certificate ca = Pem.certificates(out.resolve("ca.pem")).getFirst();
        X509Certificate primary = Pem.certificates(out.resolve("primary.pem")).getFirst();
        verify(primary, ca);
        assertThat(primary.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1"); // serverAuth
        assertThat(primary.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList())
                .containsExactlyInAnyOrder("steward.example.com", "10.1.2.3", "127.0.0.1", "localhost");
        for (String agent : List.of("web-1", "web-2")) {
            X509Certificate client = Pem.certificates(out.resolve("agent-" + agent + ".pem")).getFirst();
            verify(client, ca);
            assertThat(client.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.2"); // clientAuth
            assertThat(client.getSubjectX500Principal().getName()).contains("CN=" + agent);
            assertThat(Pem.privateKey(out.resolve("agent-" + agent + ".key")).getAlgorithm()).isEqualTo("EC");
        }
        for (String key : List.of("ca.key", "primary.key", "agent-web-1.key", "agent-web-2.key")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve(key)))).as(key)
                    .isEqualTo("rw-------");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rwx------");
        assertThat(init.out()).contains("Secret").contains("ca.key").contains("--tls-cert").contains("--tls-key")
                .contains("--ca-cert").contains(Fingerprint.of(primary).value());

        // again, with another agent: the CA and the primary's certificate (and so the agents' pins) stay
        byte[] before = Files.readAllBytes(out.resolve("primary.pem"));
        CliRunner more = CliRunner.run("tls", "init", "--out", out.toString(), "--agent", "db-1");
        assertThat(more.exitCode()).as(more.err()).isZero();
        assertThat(Files.readAllBytes(out.resolve("primary.pem"))).isEqualTo(before);
        verify(Pem.certificates(out.resolve("agent-db-1.pem")).getFirst(), ca);
    }

    @Test
    void aBadHostNameIsRefusedAndNothingIsIssuedForIt() {
        Path out = dir.resolve("bad");
        CliRunner init = CliRunner.run("tls", "init", "--out", out.toString(), "--host", "bad host/../x");
        assertThat(init.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(init.err()).contains("is not a host name or IP address");
        assertThat(out.resolve("primary.pem")).doesNotExist();
    }

    @Test
    void agentNamesNeverWriteOutsideTheFolder() throws Exception {
        Path out = dir.resolve("names");
        for (String name : List.of("../evil", "..%2fevil", "/tmp/evil", "a/../../evil", "evil\0")) {
            CliRunner init = CliRunner.run("tls", "init", "--out", out.toString(), "--agent", name);
            assertThat(init.exitCode()).as(name).isEqualTo(ExitCodes.USAGE);
            assertThat(init.err()).as(name).contains("is not a context name");
        }
        // a link planted in the folder where an agent's certificate goes, pointing out of it
        Files.createSymbolicLink(out.resolve("agent-web-9.pem"), dir.resolve("planted.pem"));
        CliRunner init = CliRunner.run("tls", "init", "--out", out.toString(), "--agent", "web-9");
        assertThat(init.exitCode()).isNotZero();
        assertThat(init.err()).contains("'agent-web-9.pem' is refused").contains("symbolic link");
        try (var files = Files.walk(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("evil"))
                    .doesNotContain("planted.pem");
        }
    }

    private static void verify(X509Certificate leaf, X509Certificate ca) throws Exception {
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);
    }
}
