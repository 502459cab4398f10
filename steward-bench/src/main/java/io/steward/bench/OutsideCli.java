package io.steward.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The CLI as users run it, for the suite's outside rows: {@code bin/steward run trivial.groovy --arg n=1 --wait} as a
 * whole process (JVM start included) beside {@code curl} making the same invoke, both timed by {@code hyperfine -N}
 * (no shell) in one interleaved sample, against the outside primary. The CLI gets the server and token from the
 * environment and an empty home, so that no context of the user's steers it. {@code bench/cli-startup} takes the
 * same command apart by JVM option; this is its one headline row.
 */
final class OutsideCli {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String hyperfine;
    private final Path steward;
    private final Path home;

    OutsideCli(String hyperfine, Path steward, Path work) throws Exception {
        this.hyperfine = hyperfine;
        this.steward = steward;
        this.home = Files.createDirectories(work.resolve("cli-home"));
    }

    /** Wall medians in milliseconds: {@code [steward run --wait, curl]}, of {@code runs} invokes each. */
    double[] medians(OutsidePrimary p, int runs) throws Exception {
        String body = OutsideClients.TRIVIAL;
        String curl = "curl -s -H 'Authorization: Bearer " + p.token + "' -H 'Content-Type: application/json' -d '"
                + body + "' '" + p.url + "/api/v1/runs?wait=30s'";
        String cli = steward + " run trivial.groovy --arg n=1 --wait";
        Path json = home.resolveSibling("cli.json");
        SuiteReport.exec(List.of(hyperfine, "-N", "--warmup", "2", "--runs", String.valueOf(runs), "--style", "none",
                "--export-json", json.toString(), cli, curl), environment(p), Duration.ofMinutes(3));
        List<?> results = (List<?>) JSON.readValue(json.toFile(), Map.class).get("results");
        return new double[]{median(results.get(0)), median(results.get(1))};
    }

    /** Once before timing: bin/steward makes its start-up archive at its first use after a build. */
    void prepare(OutsidePrimary p) throws Exception {
        String out = SuiteReport.exec(List.of(steward.toString(), "run", "trivial.groovy", "--arg", "n=1", "--wait"),
                environment(p), Duration.ofMinutes(3));
        if (!out.contains("SUCCEEDED")) {
            throw new IllegalStateException("steward run: " + out.strip());
        }
    }

    private Map<String, String> environment(OutsidePrimary p) {
        return Map.of("STEWARD_SERVER", p.url, "STEWARD_TOKEN", p.token, "HOME", home.toString(),
                "XDG_CONFIG_HOME", home.resolve(".config").toString());
    }

    private static double median(Object result) {
        return ((Number) ((Map<?, ?>) result).get("median")).doubleValue() * 1000;
    }
}
