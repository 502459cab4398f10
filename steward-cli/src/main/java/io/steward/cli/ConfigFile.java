package io.steward.cli;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the user's {@link Contexts} file ({@code ~/.config/steward/config}).
 *
 * <p>The file holds tokens, so it is written mode 0600 in a directory of mode 0700, and atomically: the new content
 * goes to a temporary file beside it (created 0600, so the token is never readable by others, not even for a
 * moment) that then replaces the old one in one rename. A crash or a full disk leaves the old file as it was, and two
 * CLIs writing at once leave one of the two whole files, never a mix.
 */
final class ConfigFile {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private ConfigFile() {
    }

    /** The contexts in {@code file}; none when it does not exist. A file that is not ours is an error that says so. */
    static Contexts read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return Contexts.EMPTY;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage() + " — check its permissions");
        }
        try {
            return fromJson(Json.MAPPER.readTree(text));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is not a Steward config (" + firstLine(e.getMessage())
                    + ") — fix it by hand, or remove it and log in again with `steward login URL`");
        }
    }

    static void write(Path file, Contexts contexts) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            createPrivateDirectory(dir);
            Path temp = POSIX
                    ? Files.createTempFile(dir, ".config-", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, ".config-", ".tmp");
            try {
                Files.writeString(temp, Json.write(toJson(contexts)) + "\n");
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e + " — check that " + dir + " is writable");
        }
    }

    /**
     * Creates the directory and its missing parents with mode 0700 and tightens the directory itself if it exists
     * (it is ours); parents that already exist, like {@code ~/.config}, are left as they are.
     */
    static void createPrivateDirectory(Path dir) throws IOException {
        if (!POSIX) {
            Files.createDirectories(dir);
            return;
        }
        var privateDir = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        if (dir.getParent() != null && !Files.isDirectory(dir.getParent())) {
            Files.createDirectories(dir.getParent(), privateDir);
        }
        if (Files.isDirectory(dir)) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } else {
            Files.createDirectory(dir, privateDir);
        }
    }

    private static Contexts fromJson(com.fasterxml.jackson.databind.JsonNode root) {
        if (!root.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        Map<String, Contexts.Context> byName = new LinkedHashMap<>();
        var contexts = root.path("contexts");
        if (!contexts.isMissingNode() && !contexts.isObject()) {
            throw new IllegalArgumentException("'contexts' must be an object of name: {server, token}");
        }
        contexts.properties().forEach(entry -> {
            String server = entry.getValue().path("server").asText(null);
            if (server == null || server.isBlank()) {
                throw new IllegalArgumentException("context '" + entry.getKey() + "' has no server");
            }
            String token = entry.getValue().path("token").asText(null);
            String ca = entry.getValue().path("caCert").asText(null);
            byName.put(entry.getKey(), new Contexts.Context(entry.getKey(), server, token == null || token.isBlank() ? null : token,
                    ca == null || ca.isBlank() ? null : java.nio.file.Path.of(ca)));
        });
        return new Contexts(root.path("current").asText(null), byName);
    }

    private static Map<String, Object> toJson(Contexts contexts) {
        Map<String, Object> byName = new LinkedHashMap<>();
        for (Contexts.Context c : contexts.all()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("server", c.server());
            if (c.token() != null) {
                entry.put("token", c.token());
            }
            if (c.caCert() != null) {
                entry.put("caCert", c.caCert().toString());
            }
            byName.put(c.name(), entry);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        if (contexts.current() != null) {
            root.put("current", contexts.current());
        }
        root.put("contexts", byName);
        return root;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
