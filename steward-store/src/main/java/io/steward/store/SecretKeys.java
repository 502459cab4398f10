package io.steward.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Where the primary's secret key comes from: {@code STEWARD_SECRET_KEY} when set (so that several primaries on one
 * PostgreSQL share it), otherwise {@code <dataDir>/secret.key}, made with 256 random bits and mode 0600 on first
 * start. Both hold the key in base64 ({@code openssl rand -base64 32} makes one).
 */
final class SecretKeys {
    static final String FILE = "secret.key";
    static final String VARIABLE = "STEWARD_SECRET_KEY";

    private SecretKeys() {
    }

    /**
     * The box for the configured key, or {@code null} when there is neither a key nor a data folder to keep one in.
     *
     * @throws IllegalArgumentException when the key given is not 32 bytes of base64
     * @throws java.io.UncheckedIOException when the key file cannot be read or made
     */
    static SecretBox load(String configured, Path dataDir) {
        if (configured != null && !configured.isBlank()) {
            return new SecretBox(decode(configured.strip(), VARIABLE), VARIABLE);
        }
        if (dataDir == null) {
            return null;
        }
        Path file = dataDir.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            return new SecretBox(decode(Files.readString(file, StandardCharsets.US_ASCII).strip(), file.toString()),
                    file.toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read or make the secret key " + file + ": " + e.getMessage(), e);
        }
    }

    private static void create(Path file) throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String text = Base64.getEncoder().encodeToString(key) + "\n";
        Files.createDirectories(file.getParent());
        try {
            // Made 0600 from the start: the key is never readable by others, not even for a moment.
            Path made = file.getFileSystem().supportedFileAttributeViews().contains("posix")
                    ? Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createFile(file);
            Files.writeString(made, text, StandardCharsets.US_ASCII);
        } catch (FileAlreadyExistsException raced) {
            // Another primary on the same folder made it first: use theirs.
        }
    }

    private static byte[] decode(String base64, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            key = new byte[0];
        }
        if (key.length != 32) {
            throw new IllegalArgumentException("the secret key in " + source + " must be 32 bytes in base64 "
                    + "(make one with `openssl rand -base64 32`)");
        }
        return key;
    }
}
