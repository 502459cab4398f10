package io.steward.agent;

import io.steward.tls.Fingerprint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * {@code <data>/primary.pin}: the fingerprint of the key the primary presented when this agent first joined it over
 * TLS (trust on first use, as SSH's known hosts). Later connections must meet the same key. Written 0600 and
 * atomically, like {@link CredentialFile}; deleting it is how an operator accepts a primary's new key.
 *
 * <p>An agent given several primaries (failover) keeps one pin per primary: the first URL's in {@code primary.pin},
 * so that an agent that had one primary keeps its pin when it is given more, and each further URL's in
 * {@code primary-<host>_<port>.pin}. Primaries that share one key (or one CA) are trusted alike; a primary that
 * presents another key than its own pin is refused like a single one.
 */
final class PrimaryPin {
    static final String NAME = "primary.pin";
    private final Path dir;
    private final Path file;
    private final String name;

    PrimaryPin(Path dataDir) {
        this(dataDir, NAME);
    }

    private PrimaryPin(Path dataDir, String name) {
        this.dir = dataDir;
        this.name = name;
        this.file = dataDir.resolve(name);
    }

    /** The pin of the primary at {@code index} in the agent's list of {@code primary} URLs. */
    static PrimaryPin of(Path dataDir, java.net.URI primary, int index) {
        if (index == 0) {
            return new PrimaryPin(dataDir);
        }
        int port = primary.getPort() != -1 ? primary.getPort() : "https".equals(primary.getScheme()) ? 443 : 80;
        // host names and IPv6 literals alike become a safe file name
        String host = primary.getHost().replaceAll("[^A-Za-z0-9.\\-]", "_");
        return new PrimaryPin(dataDir, "primary-" + host + "_" + port + ".pin");
    }

    Path path() {
        return file;
    }

    Optional<Fingerprint> read() {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(Fingerprint.parse(text));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the primary's pin " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + " is not a pin (" + e.getMessage() + "): delete it to pin the "
                    + "primary again at the next join");
        }
    }

    void write(Fingerprint fingerprint) throws IOException {
        DataDir.create(dir);
        Path tmp = dir.resolve(name + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, fingerprint + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
