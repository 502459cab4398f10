package io.steward.security;

import io.steward.gateway.Http;
import io.steward.gateway.TestPrimary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random script names (climbing {@code ../}, {@code %2e}, NUL, unicode, very long, slashes) pushed, read and
 * invoked: never a 5xx, and afterwards the store holds exactly the names the API answered 201 for.
 */
class ScriptNameFuzzTest {
    static final int CASES = 250;
    static final List<String> PIECES = List.of("../", "..", "./", ".", "%2e", "%2E%2e", "%2f", "%5c", "%00", "\u0000",
            "/", "//", "\\", "a", "deploy", "web-1", "_", "-", " ", "é", "日本", "😀", "\u202E", "\n", "C:", "~",
            "x".repeat(200), ".groovy", "%", "?", "#", "*");

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void randomNamesAreAnsweredAndOnlyAcceptedOnesAreStored() {
        Fuzz fuzz = new Fuzz(0x5C417L);
        Set<String> accepted = new TreeSet<>(Set.of("ok.groovy"));
        try (TestPrimary primary = new TestPrimary(dir)) {
            primary.push("ok.groovy", "'fine'");
            for (int i = 0; i < CASES; i++) {
                String name = name(fuzz);
                String what = "name " + SelectorFuzzTest.quoted(name);
                Http.Answer push = fuzz.send(primary.admin, primary.admin.request("/api/v1/scripts")
                        .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers
                                .ofString(SelectorFuzzTest.json(Map.of("name", name, "source", "'x'")))), "push " + what);
                fuzz.answeredWell(push, "push " + what);
                if (push.status() == 201) {
                    accepted.add(name);
                }
                String inUrl = inUrl(fuzz, name);
                if (inUrl != null) {
                    Http.Answer got = fuzz.send(primary.admin, primary.admin.request("/api/v1/scripts/" + inUrl).GET(),
                            "get " + inUrl);
                    fuzz.answeredWell(got, "get " + inUrl);
                }
                Http.Answer run = fuzz.send(primary.admin, primary.admin.request("/api/v1/runs")
                        .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers
                                .ofString(SelectorFuzzTest.json(Map.of("script", name)))), "invoke " + what);
                fuzz.answeredWell(run, "invoke " + what);
                if (!accepted.contains(name)) {
                    assertThat(run.status()).as(fuzz.at("invoke " + what + ": " + run.body())).isGreaterThanOrEqualTo(400);
                }
            }
            List<Map<String, Object>> scripts = (List<Map<String, Object>>) primary.admin.get("/api/v1/scripts").json().get("scripts");
            assertThat(scripts).extracting(s -> (String) s.get("name")).as(fuzz.at("the store's scripts"))
                    .containsExactlyInAnyOrderElementsOf(accepted);
            fuzz.primaryStillServes(primary);
        }
    }

    static String name(Fuzz fuzz) {
        StringBuilder b = new StringBuilder();
        int pieces = 1 + fuzz.below(5);
        for (int p = 0; p < pieces; p++) {
            b.append(fuzz.below(6) == 0 ? fuzz.noise(6) : fuzz.pick(PIECES));
        }
        if (fuzz.below(10) < 7) {
            b.append(".groovy");
        }
        return b.toString();
    }

    /** The name in a URL path: percent-encoded, or as typed when that is a legal URI (so {@code ../} stays raw). */
    static String inUrl(Fuzz fuzz, String name) {
        String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        if (fuzz.below(2) == 0) {
            return encoded;
        }
        try {
            URI.create("http://h/api/v1/scripts/" + name);
            return name;
        } catch (IllegalArgumentException notAUri) {
            return encoded;
        }
    }
}
