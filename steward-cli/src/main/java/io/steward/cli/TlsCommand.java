package io.steward.cli;

import io.steward.tls.CertificateAuthority;
import io.steward.tls.Fingerprint;
import io.steward.tls.Pem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code steward tls}: certificates for a primary and its agents (docs/tls.md). */
@Command(name = "tls", mixinStandardHelpOptions = true, subcommands = TlsCommand.Init.class,
        description = "Certificates for TLS between the primary, its agents and clients (docs/tls.md).")
final class TlsCommand {

    /**
     * {@code steward tls init}: a private CA, the primary's certificate and one client certificate per agent. A
     * folder that already holds a CA keeps it and issues from it, so agents can be added later; existing certificates
     * are never overwritten (a new primary key would break every agent's pin).
     */
    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Make a private CA (ca.pem, ca.key), a certificate for the primary (primary.pem, primary.key) with",
                    "the given host names and addresses, and a client certificate per --agent (agent-NAME.pem, .key).",
                    "The .key files are secret (written mode 0600); the .pem files are not. Run it again with more",
                    "--agent names to issue more from the same CA; existing files are kept."})
    static final class Init implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "The folder for the files (made 0700 if new).")
        Path out;

        @Option(names = "--host", paramLabel = "NAME", split = ",",
                description = "Host names and IP addresses clients reach the primary by (127.0.0.1 and localhost are always added).")
        List<String> hosts = new ArrayList<>();

        @Option(names = "--agent", paramLabel = "NAME", split = ",", arity = "1..*",
                description = "Agents to issue client certificates for (for mutual TLS, --tls-client-ca).")
        List<String> agents = new ArrayList<>();

        @Override
        public Integer call() throws IOException {
            PrintWriter w = spec.commandLine().getOut();
            ConfigFile.createPrivateDirectory(out.toAbsolutePath());
            Path caCert = out.resolve("ca.pem");
            Path caKey = out.resolve("ca.key");
            CertificateAuthority ca;
            if (Files.exists(caCert) && Files.exists(caKey)) {
                ca = new CertificateAuthority(Pem.certificates(caCert).getFirst(), Pem.privateKey(caKey));
                w.println("using the CA in " + caCert);
            } else if (Files.exists(caCert) || Files.exists(caKey)) {
                throw new IllegalArgumentException(out + " holds only one of ca.pem and ca.key: give an empty folder or both");
            } else {
                ca = CertificateAuthority.create("Steward CA");
                write(caKey, Pem.encode(ca.key()), true);
                write(caCert, Pem.encode(ca.certificate()), false);
                w.println("made a CA: " + caCert);
            }
            Set<String> names = new LinkedHashSet<>();
            hosts.stream().map(String::strip).filter(h -> !h.isEmpty()).forEach(names::add);
            names.add("127.0.0.1");
            names.add("localhost");
            Path primaryCert = out.resolve("primary.pem");
            Path primaryKey = out.resolve("primary.key");
            X509Certificate primary;
            if (Files.exists(primaryCert)) {
                primary = Pem.certificates(primaryCert).getFirst();
                w.println("kept " + primaryCert + " (delete it and primary.key to issue a new one; agents pinned its key)");
            } else {
                var issued = ca.issueServer(names.iterator().next(), List.copyOf(names));
                write(primaryKey, Pem.encode(issued.key()), true);
                write(primaryCert, Pem.encode(issued.certificate(), ca.certificate()), false);
                primary = issued.certificate();
                w.println("made the primary's certificate for " + String.join(", ", names) + ": " + primaryCert);
            }
            // agent names become file names: only through the folder's confinement (issue 14, names)
            io.steward.files.ConfinedDirectory folder = io.steward.files.ConfinedDirectory.of(out);
            for (String agent : agents) {
                String name = Contexts.checkName(agent.strip());
                Path cert = folder.resolve("agent-" + name + ".pem");
                if (Files.exists(cert)) {
                    w.println("kept " + cert);
                    continue;
                }
                var issued = ca.issueClient(name);
                write(folder.resolve("agent-" + name + ".key"), Pem.encode(issued.key()), true);
                write(cert, Pem.encode(issued.certificate(), ca.certificate()), false);
                w.println("made agent " + name + "'s client certificate: " + cert);
            }
            Path abs = out.toAbsolutePath().normalize();
            w.println();
            w.println("Secret, keep them 0600 and on their machine only: " + abs.resolve("ca.key")
                    + " (keep it offline if you can: it signs certificates), primary.key, agent-*.key.");
            w.println("Not secret: ca.pem, primary.pem, agent-*.pem.");
            w.println();
            w.println("Start the primary with:");
            w.println("  steward server --tls-cert " + abs.resolve("primary.pem") + " --tls-key " + abs.resolve("primary.key")
                    + (agents.isEmpty() ? "" : " [--tls-client-ca " + abs.resolve("ca.pem") + "]"));
            w.println("Agents and the CLI trust it with:");
            w.println("  --ca-cert " + abs.resolve("ca.pem") + "   (or --primary-fingerprint " + Fingerprint.of(primary) + ")");
            w.flush();
            return ExitCodes.OK;
        }

        private static void write(Path file, String text, boolean secret) throws IOException {
            try {
                if (secret) {
                    try {
                        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    } catch (UnsupportedOperationException notPosix) {
                        Files.createFile(file);
                    }
                } else {
                    Files.createFile(file);
                }
            } catch (FileAlreadyExistsException e) {
                throw new IllegalArgumentException(file + " exists already: move it away or choose another --out");
            }
            Files.writeString(file, text);
        }
    }
}
