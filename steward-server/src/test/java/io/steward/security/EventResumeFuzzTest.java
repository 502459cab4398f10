package io.steward.security;

import io.steward.gateway.Http;
import io.steward.gateway.TestPrimary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random resume positions (negative, huge, non-numeric, empty, with spaces) as {@code Last-Event-ID} or
 * {@code ?after=} on a finished run's event stream: a 4xx JSON error, or a stream that ends in time and holds the
 * run's events from a sensible place (the start, or just after the position) to the last; never a 5xx.
 */
class EventResumeFuzzTest {
    static final int CASES = 300;
    static final List<String> POSITIONS = List.of("0", "1", "2", "3", "-1", "-9223372036854775808", "9223372036854775807",
            "9223372036854775808", "99999999999999999999", "", " ", " 2", "2 ", "1 2", "abc", "0x10", "1e3", "2.5", "+2",
            "١", "\u0000", "%00", "null", "[]", "1,2", "--1", "00002");

    @TempDir
    Path dir;

    @Test
    void randomResumePositionsAreAnsweredSensibly() throws Exception {
        Fuzz fuzz = new Fuzz(0x55E5EL);
        try (TestPrimary primary = new TestPrimary(dir)) {
            primary.push("steps.groovy", "(1..5).each { status.set('step', it) }; 'done'");
            Map<String, Object> run = primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "steps.groovy")).json();
            String id = (String) run.get("id");
            long lastSeq = ((Number) run.get("lastSeq")).longValue();
            assertThat(lastSeq).as(fuzz.at("the run's events")).isGreaterThan(5);
            for (int i = 0; i < CASES; i++) {
                String position = fuzz.below(4) == 0 ? fuzz.noise(6) : fuzz.pick(POSITIONS);
                boolean header = fuzz.below(2) == 0;
                String what = (header ? "Last-Event-ID " : "?after=") + SelectorFuzzTest.quoted(position);
                HttpRequest.Builder request = primary.admin.request("/api/v1/runs/" + id + "/events"
                        + (header ? "" : "?after=" + URLEncoder.encode(position, StandardCharsets.UTF_8)))
                        .header("Accept", "text/event-stream").timeout(Fuzz.TIMEOUT).GET();
                if (header) {
                    try {
                        request.header("Last-Event-ID", position);
                    } catch (IllegalArgumentException notAHeaderValue) {
                        continue; // the client cannot send it (control characters); nothing to try
                    }
                }
                HttpResponse<InputStream> response = primary.admin.client().send(request.build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 200) {
                    String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
                    fuzz.answeredWell(new Http.Answer(response.statusCode(), response.headers(), body), what);
                    continue;
                }
                assertThat(response.headers().firstValue("Content-Type").orElse("")).as(fuzz.at(what))
                        .startsWith("text/event-stream");
                List<Long> ids = CompletableFuture.supplyAsync(() -> ids(response.body()))
                        .orTimeout(Fuzz.TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                        .exceptionally(e -> {
                            throw new AssertionError(fuzz.at(what + ": the stream of a finished run did not end"), e);
                        }).join();
                if (!ids.isEmpty()) {
                    assertThat(ids).as(fuzz.at(what + ": the stream holds every event to the last"))
                            .containsExactlyElementsOf(LongStream.rangeClosed(ids.getFirst(), lastSeq).boxed().toList());
                }
                if (!ids.isEmpty()) {
                    assertThat(ids.getFirst()).as(fuzz.at(what + ": where the stream starts"))
                            .isIn(1L, resumedAt(position) + 1);
                } else {
                    assertThat(resumedAt(position)).as(fuzz.at(what + ": an empty stream")).isGreaterThanOrEqualTo(lastSeq);
                }
            }
            fuzz.primaryStillServes(primary);
        }
    }

    /** The position as a number when it is one, else -1. */
    private static long resumedAt(String position) {
        try {
            return Long.parseLong(position.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static List<Long> ids(InputStream body) {
        List<Long> ids = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("id: ")) {
                    ids.add(Long.parseLong(line.substring(4).strip()));
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return ids;
    }
}
