package io.steward.store;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Seals and opens small secret texts with AES-256-GCM from the JDK (no crypto of our own). A sealed text reads
 * {@code v1.<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>}: a fresh random 96-bit nonce per sealing, and the
 * context (a run id) as associated data, so a sealed value copied onto another run does not open.
 *
 * <p>The key id is the first 8 bytes of SHA-256 over a label and the key: it tells which key sealed a value, so
 * that opening with another key fails with a message naming both ids instead of an opaque tag error, and it
 * reveals nothing of a 256-bit random key.
 */
public final class SecretBox {
    private static final String VERSION = "v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    private final String keyId;
    private final String keySource;

    /**
     * @param key       32 bytes
     * @param keySource where the key came from, for error messages ({@code /data/secret.key})
     */
    SecretBox(byte[] key, String keySource) {
        if (key.length != 32) {
            throw new IllegalArgumentException("a secret key is 32 bytes (256 bits), not " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
        this.keyId = idOf(key);
        this.keySource = keySource;
    }

    /** The id of this box's key, as sealed values carry it. */
    public String keyId() {
        return keyId;
    }

    String seal(String context, String plain) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, context);
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return VERSION + "." + keyId + "." + ENCODER.encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK: " + e.getMessage(), e);
        }
    }

    /**
     * Opens what {@link #seal} made for the same {@code context}.
     *
     * @throws SecretsUnavailableException when it was sealed with another key, or is damaged
     */
    String open(String context, String sealed) {
        String[] parts = sealed.split("\\.", 3);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw new SecretsUnavailableException("the secrets of " + context + " are stored in an unknown format ("
                    + (parts.length > 0 ? parts[0] : "") + "); this primary reads " + VERSION);
        }
        if (!parts[1].equals(keyId)) {
            throw new SecretsUnavailableException("the secrets of " + context + " were sealed with the key " + parts[1]
                    + ", but this primary's key (" + keySource + ") is " + keyId + ": start the primary with the "
                    + "secret.key (or STEWARD_SECRET_KEY) they were sealed with");
        }
        try {
            byte[] in = Base64.getUrlDecoder().decode(parts[2]);
            if (in.length < NONCE_BYTES + TAG_BITS / 8) {
                throw new SecretsUnavailableException("the secrets of " + context + " are damaged (too short)");
            }
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(in, NONCE_BYTES), context);
            byte[] plain = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException | IllegalArgumentException e) {
            throw new SecretsUnavailableException("the secrets of " + context + " do not open with the key " + keyId
                    + " (" + keySource + "): they are damaged or were not sealed for this run");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK: " + e.getMessage(), e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String context) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private static String idOf(byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("steward secret key id\0".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(Arrays.copyOf(sha.digest(key), 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
