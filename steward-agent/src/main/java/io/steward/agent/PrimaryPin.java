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
 */
final class PrimaryPin {
    static final String NAME = "primary.pin";
    private final Path dir;
    private final Path file;

    PrimaryPin(Path dataDir) {
        this.dir = dataDir;
        this.file = dataDir.resolve(NAME);
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
        Path tmp = dir.resolve(NAME + ".tmp");
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
