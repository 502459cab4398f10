package io.steward.security;

import io.steward.gateway.Http;
import io.steward.gateway.TestPrimary;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the seeded fuzz tests share: one seed per test (fixed, printed in every assertion message, overridden with
 * {@code -Dsteward.fuzz.seed}), a short per-request timeout so a hang fails instead of stalling, and the checks every
 * answer must pass: never a 5xx, and every 4xx a JSON error with a message and no stack trace.
 */
final class Fuzz {
    /** Long enough for a loaded CI machine, short enough that a hang is a failure, not a stuck build. */
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    final long seed;
    final Random random;

    Fuzz(long defaultSeed) {
        seed = Long.getLong("steward.fuzz.seed", defaultSeed);
        random = new Random(seed);
    }

    /** Prefix for assertion messages: how to replay this case. */
    String at(String what) {
        return "[seed " + seed + ", rerun with -Dsteward.fuzz.seed=" + seed + "] " + what;
    }

    int below(int n) {
        return random.nextInt(n);
    }

    <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    /** Sends with {@link #TIMEOUT}; a timeout is a failure naming the request. */
    Http.Answer send(Http http, HttpRequest.Builder request, String what) {
        try {
            return http.send(request.timeout(TIMEOUT));
        } catch (AssertionError e) {
            throw new AssertionError(at(what + ": no answer (" + e.getMessage() + ")"), e);
        }
    }

    /** Never a 5xx; a 4xx is a JSON error with a non-blank message and no stack trace. */
    void answeredWell(Http.Answer a, String what) {
        String as = at(what + " -> " + a.status() + " " + abbreviate(a.body()));
        assertThat(a.status()).as(as).isLessThan(500);
        if (a.status() >= 400) {
            assertThat(a.headers().firstValue("Content-Type").orElse("")).as(as).contains("json");
            assertThat(a.errorMessage()).as(as).isNotBlank();
            assertThat(a.body()).as(as).doesNotContain("\tat ").doesNotContain("Exception");
        }
    }

    /** After fuzzing: the primary still runs a normal script end to end, and its lists still parse. */
    void primaryStillServes(TestPrimary primary) {
        primary.push("after-fuzz.groovy", "'still fine'");
        Http.Answer run = primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "after-fuzz.groovy"));
        assertThat(run.status()).as(at("a normal run after fuzzing: " + run.body())).isEqualTo(201);
        assertThat(run.json()).as(at("a normal run after fuzzing")).containsEntry("state", "SUCCEEDED")
                .containsEntry("result", "still fine");
        for (String list : List.of("/api/v1/runs", "/api/v1/scripts", "/api/v1/nodes", "/api/v1/tokens")) {
            Http.Answer a = primary.admin.get(list);
            assertThat(a.status()).as(at(list)).isEqualTo(200);
            assertThat(a.json()).as(at(list)).isNotEmpty();
        }
    }

    /** A random string: printable ASCII, unicode, controls and NUL mixed. */
    String noise(int maxLength) {
        int n = random.nextInt(maxLength + 1);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(6)) {
                case 0 -> b.append((char) random.nextInt(32));
                case 1 -> b.appendCodePoint(0x80 + random.nextInt(0x2000));
                case 2 -> b.appendCodePoint(0x1F600 + random.nextInt(50));
                default -> b.append((char) (32 + random.nextInt(95)));
            }
        }
        return b.toString();
    }

    static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
