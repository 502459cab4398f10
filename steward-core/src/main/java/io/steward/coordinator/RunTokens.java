package io.steward.coordinator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The run tokens of one node: a secret per live run, handed to the run's local processes as {@code STEWARD_TOKEN}
 * (with {@code STEWARD_SERVER} and {@code STEWARD_RUN_ID}) and accepted by the node's callback endpoint for that run
 * alone.
 *
 * <p>Tokens live only in this object's memory, on the node that runs the run: they are never stored, never logged,
 * and die with the run ({@link #close}) or with the process. A token reads {@code stw_run_<runId>.<secret>}: the
 * recognisable prefix lets the gateway tell it from a stored API token without a database look-up, the run id lets
 * it find the one secret to compare, and the comparison is constant-time ({@link MessageDigest#isEqual}), so the
 * answer time tells an attacker nothing about how much of a guess was right. The secret is 256 random bits.
 */
public final class RunTokens implements RunCallbacks {
    public static final String PREFIX = "stw_run_";
    public static final String SERVER_VARIABLE = "STEWARD_SERVER";
    public static final String RUN_VARIABLE = "STEWARD_RUN_ID";
    public static final String TOKEN_VARIABLE = "STEWARD_TOKEN";

    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private final Supplier<String> endpoint;
    private final SecureRandom random = nonBlockingRandom();
    private final Map<String, byte[]> secrets = new ConcurrentHashMap<>();

    /**
     * @param endpoint the URL processes call back to, such as {@code http://127.0.0.1:7640}; asked at each run's
     *                 start, because a server bound to port 0 knows its URL only once it listens. While it answers
     *                 {@code null}, runs get no variables.
     */
    public RunTokens(Supplier<String> endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public Map<String, String> open(String runId) {
        String url = endpoint.get();
        if (url == null) {
            return Map.of();
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = BASE64.encodeToString(bytes);
        secrets.put(runId, secret.getBytes(StandardCharsets.US_ASCII));
        Map<String, String> env = new LinkedHashMap<>();
        env.put(SERVER_VARIABLE, url);
        env.put(RUN_VARIABLE, runId);
        env.put(TOKEN_VARIABLE, PREFIX + runId + "." + secret);
        return Map.copyOf(env);
    }

    @Override
    public void close(String runId) {
        secrets.remove(runId);
    }

    /**
     * A source that never waits for entropy. Minting happens when a run launches its first process, on the path
     * of the run: {@code new SecureRandom()} is {@code NativePRNG} on Linux, whose {@code generateSeed} (and, with
     * {@code securerandom.source=file:/dev/random}, the seeding of its mixing SHA1PRNG) reads {@code /dev/random}.
     * {@code NativePRNGNonBlocking} reads {@code /dev/urandom} only, which the kernel seeds at boot and never blocks
     * afterwards; where it does not exist (not Unix), a DRBG seeded once here, at construction, is as good.
     */
    static SecureRandom nonBlockingRandom() {
        try {
            return SecureRandom.getInstance("NativePRNGNonBlocking");
        } catch (NoSuchAlgorithmException e) {
            try {
                SecureRandom drbg = SecureRandom.getInstance("DRBG");
                drbg.nextBytes(new byte[1]); // seeds it now, not at the first run
                return drbg;
            } catch (NoSuchAlgorithmException none) {
                return new SecureRandom();
            }
        }
    }

    /** Whether a bearer token has the form of a run token (valid or not). */
    public static boolean looksLikeRunToken(String token) {
        return token != null && token.startsWith(PREFIX);
    }

    /** The run a token belongs to, while that run lives; empty for any other string. */
    public Optional<String> runOf(String token) {
        if (!looksLikeRunToken(token)) {
            return Optional.empty();
        }
        int dot = token.indexOf('.', PREFIX.length());
        if (dot < 0) {
            return Optional.empty();
        }
        String runId = token.substring(PREFIX.length(), dot);
        byte[] expected = secrets.get(runId);
        byte[] given = token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        return expected != null && MessageDigest.isEqual(expected, given) ? Optional.of(runId) : Optional.empty();
    }

    /** How many runs hold a live token (for tests and the server's info). */
    public int live() {
        return secrets.size();
    }
}
