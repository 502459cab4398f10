package io.steward.security;

import io.steward.gateway.Http;
import io.steward.gateway.TestPrimary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random node selectors, built from the selector's own pieces (names, globs, labels, {@code all}, commas) mixed with
 * noise, as the fan-out {@code on} of a run: each is answered with a 4xx JSON error or a run, never a 5xx.
 */
class SelectorFuzzTest {
    static final int CASES = 300;
    static final List<String> PIECES = List.of("all", "*", "web-1", "db-2", "web-*", "db-?", "*-*", "role=web",
            "env=prod", "role=", "=web", "a=b=c", ",", ",,", " ", "=", "-", "?", "[", "]", "(", "\\", "**", "^", "$",
            ".*", "{1,2}", "\u0000", "é", "😀", "x".repeat(300), "primary-node", "role = web ");

    @TempDir
    Path dir;

    @Test
    void randomSelectorsAreAnsweredWithAnErrorOrARun() {
        Fuzz fuzz = new Fuzz(0x5E1EC7L);
        try (TestPrimary primary = new TestPrimary(dir)) {
            primary.push("ok.groovy", "'fine'");
            int runs = 0;
            for (int i = 0; i < CASES; i++) {
                String selector = selector(fuzz);
                String what = "on " + quoted(selector);
                Http.Answer a = fuzz.send(primary.admin, primary.admin.request("/api/v1/runs")
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json(Map.of("script", "ok.groovy",
                                "on", selector)))), what);
                fuzz.answeredWell(a, what);
                if (a.status() < 300) {
                    assertThat(a.status()).as(fuzz.at(what)).isEqualTo(201);
                    assertThat(a.json()).as(fuzz.at(what)).containsKey("id").containsEntry("script", "ok.groovy");
                    runs++;
                }
            }
            assertThat(runs).as(fuzz.at("some selectors are good ones")).isPositive();
            fuzz.primaryStillServes(primary);
        }
    }

    static String selector(Fuzz fuzz) {
        StringBuilder b = new StringBuilder();
        int terms = 1 + fuzz.below(5);
        for (int t = 0; t < terms; t++) {
            if (t > 0) {
                b.append(fuzz.pick(List.of(",", ",", ", ", "", " ")));
            }
            b.append(fuzz.below(5) == 0 ? fuzz.noise(8) : fuzz.pick(PIECES));
        }
        return b.toString();
    }

    static String quoted(String text) {
        return json(Fuzz.abbreviate(text));
    }

    static String json(Object value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}
