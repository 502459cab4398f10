package io.steward.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code GET /metrics} answer, checked line by line against the Prometheus text format (0.0.4) and readable by
 * meter name and labels.
 */
public final class Scrape {
    /** {@code # HELP name text}, {@code # TYPE name type}, or {@code name{l="v",…} value}. */
    private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*})? "
                    + "(-?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|NaN|[+-]Inf)( -?[0-9]+)?");

    record Sample(String name, String labels, double value) {
    }

    private final List<Sample> samples = new ArrayList<>();

    Scrape(String text) {
        for (String line : text.split("\n")) {
            if (line.isEmpty() || COMMENT.matcher(line).matches()) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("a Prometheus sample line: " + line).isTrue();
            String value = m.group(3);
            samples.add(new Sample(m.group(1), m.group(2) == null ? "" : m.group(2),
                    value.equals("+Inf") ? Double.POSITIVE_INFINITY : value.equals("-Inf") ? Double.NEGATIVE_INFINITY
                            : Double.parseDouble(value)));
        }
    }

    /** The sum of the samples named {@code name} that carry every label {@code "k=v"} given; NaN when none does. */
    public double value(String name, String... labels) {
        double sum = 0;
        boolean found = false;
        for (Sample s : samples) {
            if (s.name().equals(name) && hasAll(s.labels(), labels)) {
                sum += s.value();
                found = true;
            }
        }
        return found ? sum : Double.NaN;
    }

    private static boolean hasAll(String have, String[] labels) {
        for (String label : labels) {
            int eq = label.indexOf('=');
            String pair = label.substring(0, eq) + "=\"" + label.substring(eq + 1) + "\"";
            if (!(have.contains("{" + pair) || have.contains("," + pair))) {
                return false;
            }
        }
        return true;
    }

    public static Scrape of(Http client) {
        Http.Answer a = client.get("/metrics");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        return new Scrape(a.body());
    }
}
