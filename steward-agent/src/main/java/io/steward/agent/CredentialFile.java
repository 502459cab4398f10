package io.steward.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * {@code <data>/agent.credential}: the agent's own credential, given by the primary when it joined with a join
 * token. Written to a private temporary file (mode 0600 from its creation, so it is never readable by others even
 * for a moment) and moved into place atomically, so a crash leaves the old credential or the new one, never half.
 */
final class CredentialFile {
    static final String NAME = "agent.credential";
    private final Path dir;
    private final Path file;

    CredentialFile(Path dataDir) {
        this.dir = dataDir;
        this.file = dataDir.resolve(NAME);
    }

    Path path() {
        return file;
    }

    Optional<String> read() {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent credential " + file, e);
        }
    }

    void write(String credential) throws IOException {
        DataDir.create(dir);
        Path tmp = dir.resolve(NAME + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, ownerOnly());
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, credential + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static FileAttribute<?> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    }
}
