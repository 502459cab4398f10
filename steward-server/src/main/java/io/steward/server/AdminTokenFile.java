package io.steward.server;

import io.steward.store.Role;
import io.steward.store.TokenStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code <data>/admin.token}: on first start the server creates an admin token and writes it here, readable by its
 * owner only (0600), so that the CLI on the same machine works without being given a token. A file whose token no
 * longer works (revoked, or a new database) is replaced.
 */
final class AdminTokenFile {
    static final String NAME = "admin.token";

    private AdminTokenFile() {
    }

    static Path ensure(Path dataDir, TokenStore tokens) throws IOException {
        Path file = dataDir.resolve(NAME);
        if (Files.exists(file) && tokens.authenticate(Files.readString(file).strip()).isPresent()) {
            return file;
        }
        String name = "admin";
        for (int n = 2; taken(tokens, name); n++) {
            name = "admin-" + n;
        }
        String token = tokens.create(name, Role.ADMIN, "steward server").token();
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, token + "\n");
        return file;
    }

    private static boolean taken(TokenStore tokens, String name) {
        return tokens.list().stream().anyMatch(t -> t.name().equals(name));
    }
}
