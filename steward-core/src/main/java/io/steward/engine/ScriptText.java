package io.steward.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The source of one script version.
 *
 * @param name    a relative path such as {@code deploy/web.groovy}; its extension names the language
 * @param version the store's version number, or 0 where there is no store (a directory, a literal)
 * @param source  the script code
 * @param sha256  the hex SHA-256 of the source: the compile cache's key
 */
public record ScriptText(String name, int version, String source, String sha256) {

    public ScriptText {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        if (sha256 == null) {
            sha256 = sha256(source);
        }
    }

    public ScriptText(String name, String source) {
        this(name, 0, source, null);
    }

    public ScriptText(String name, int version, String source) {
        this(name, version, source, null);
    }

    /** The extension including its dot ({@code .groovy}), or an empty string. */
    public String extension() {
        return extensionOf(name);
    }

    /**
     * The extension of a script name including its dot, or an empty string. For a bare name, where a
     * {@code new ScriptText(name, "")} would hash its empty source on every call.
     */
    public static String extensionOf(String name) {
        int slash = name.lastIndexOf('/');
        int dot = name.lastIndexOf('.');
        return dot > slash ? name.substring(dot) : "";
    }

    public static String sha256(String source) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
