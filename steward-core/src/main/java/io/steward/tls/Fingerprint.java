package io.steward.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The SHA-256 fingerprint of a public key (of its DER SubjectPublicKeyInfo), written {@code sha256:} and 64 lower-case
 * hex digits. It names the key, not the certificate: a primary that renews its certificate with the same key keeps
 * its fingerprint, so a pin survives renewals and only a new key breaks it.
 */
public record Fingerprint(String value) {
    private static final Pattern FORM = Pattern.compile("sha256:[0-9a-f]{64}");

    public Fingerprint {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a fingerprint: expected sha256: and 64 hex digits"
                    + " (colons allowed), as `steward tls fingerprint` or the primary's start-up line shows");
        }
    }

    /** Reads a fingerprint as people paste it: any case, with or without colons, with or without the {@code sha256:} prefix. */
    public static Fingerprint parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no fingerprint given");
        }
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("sha256:")) {
            t = t.substring("sha256:".length());
        }
        return new Fingerprint("sha256:" + t.replace(":", ""));
    }

    public static Fingerprint of(X509Certificate certificate) {
        return of(certificate.getPublicKey());
    }

    public static Fingerprint of(PublicKey key) {
        try {
            return new Fingerprint("sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded())));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
