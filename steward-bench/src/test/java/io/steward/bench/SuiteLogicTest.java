package io.steward.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SuiteLogicTest {
    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Stats.median(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(Stats.median(List.of(7.0))).isEqualTo(7.0);
        assertThatThrownBy(() -> Stats.median(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nearestRankPercentiles() {
        List<Double> hundred = new java.util.ArrayList<>();
        for (int i = 100; i >= 1; i--) {
            hundred.add((double) i);
        }
        assertThat(Stats.percentile(hundred, 50)).isEqualTo(50.0);
        assertThat(Stats.percentile(hundred, 99)).isEqualTo(99.0);
        assertThat(Stats.percentile(hundred, 100)).isEqualTo(100.0);
        assertThat(Stats.percentile(List.of(3.0, 1.0), 1)).isEqualTo(1.0);
    }

    @Test
    void ratioIsNaNWhenEitherSideIsMissing() {
        assertThat(Stats.ratio(1, 4)).isEqualTo(0.25);
        assertThat(Stats.ratio(1, 0)).isNaN();
        assertThat(Stats.ratio(Double.NaN, 2)).isNaN();
    }

    private static ResultTable sample() {
        ResultTable t = new ResultTable(List.of("Celery", "Ansible"));
        ResultTable.Row r = t.row("rtt", "round trip", "ms", true).expect("Steward", "floor", "Celery", "Ansible")
                .label("floor", "loopback");
        for (double v : new double[] {0.5, 0.4, 0.6, 0.3, 0.7}) {
            r.add("Steward", v);
            r.add("Celery", v * 4);
        }
        r.add("floor", 0.05);
        r.target = "≤ Celery/3";
        r.met = true;
        t.note("Ansible", "not installed");
        return t;
    }

    @Test
    void tableShowsMediansRatiosTargetsAndMissingPeers() {
        ResultTable t = sample();
        String text = t.render(false);
        assertThat(text.lines().toList()).hasSize(2);
        String row = text.lines().toList().get(1);
        assertThat(row).contains("0.500 ms", "2.00 ms", "0.050 ms (loopback)", "not installed", "10.00", "0.25", "≤ Celery/3 met");
        assertThat(t.render(true)).startsWith("| metric | Steward | floor | Celery | Ansible | S/floor | S/Celery | S/Ansible | target |\n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        Map<String, Object> json = t.toJson(Map.of("cores", 2));
        assertThat(json.get("notes")).isEqualTo(Map.of("Ansible", "not installed"));
        @SuppressWarnings("unchecked")
        Map<String, Object> cells = (Map<String, Object>) ((Map<String, Object>) ((List<?>) json.get("rows")).get(0)).get("values");
        assertThat(cells).containsOnlyKeys("Steward", "Celery", "floor");
        @SuppressWarnings("unchecked")
        Map<String, Object> celery = (Map<String, Object>) cells.get("Celery");
        assertThat(celery).containsEntry("median", 2.0).containsEntry("stewardRatio", 0.25);
    }

    @Test
    void formatsByMagnitude() {
        assertThat(ResultTable.format(1234.4, "/s")).isEqualTo("1,234/s");
        assertThat(ResultTable.format(0.3861, "ms")).isEqualTo("0.386 ms");
        assertThat(ResultTable.format(7469.2, "ms")).isEqualTo("7,469 ms");
        assertThat(ResultTable.format(Double.NaN, "ms")).isEqualTo("-");
    }

    @Test
    void svgHasABarPerFigureScaledToTheLargestOfItsMetricAndEscapesText() {
        String svg = SvgChart.render(sample(), "a <title> & more\nsecond line");
        assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").endsWith("</svg>\n");
        assertThat(svg).contains("a &lt;title&gt; &amp; more", "second line");
        assertThat(svg.split("<rect ", -1)).hasSize(1 + 1 + 4 + 3); // background, legend of 4 columns, 3 bars
        assertThat(svg).contains("width=\"420.0\"").contains("width=\"105.0\""); // Celery 2.0 is the widest, Steward 0.5 a quarter
        assertThat(svg).doesNotContain("NaN");
    }

    @Test
    void conductorColumnOnlyWithTheFlag() {
        assertThat(SuiteReport.peers(false)).doesNotContain(SuiteReport.CONDUCTOR);
        assertThat(new ResultTable(SuiteReport.peers(true)).columns())
                .containsExactly("Steward", "floor", "Celery", "Ansible", "pdsh", "Conductor");
        assertThat(SuiteReport.selected(null, false)).containsExactly("steward", "outside", "celery", "ansible", "pdsh", "floor", "startup",
                "coordination");
        assertThat(SuiteReport.selected(null, true)).endsWith("conductor");
        assertThatThrownBy(() -> SuiteReport.selected("conductor", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--with-conductor");
    }

    private static final int CONDUCTOR = 6;
    private static final int S_CONDUCTOR = 11;

    /** The cells of line {@code i} of the Markdown table, its separator line skipped; 0 is the header. */
    private static List<String> cells(ResultTable t, int i) {
        List<String> lines = t.render(true).lines().toList();
        String line = lines.get(i == 0 ? 0 : i + 1);
        List<String> cells = java.util.Arrays.stream(line.substring(1, line.length() - 1).split("\\|", -1)).map(String::strip).toList();
        assertThat(cells).hasSize(13);
        return cells;
    }

    private static ResultTable withConductor() {
        ResultTable t = new ResultTable(SuiteReport.peers(true));
        t.row("rtt.trivial.p50", "round trip, trivial task, p50", "ms", true).expect("Steward", "Celery");
        t.row("rtt.trivial.p99", "round trip, trivial task, p99", "ms", true).expect("Steward", "Celery");
        t.row("rate.trivial", "trivial tasks per second", "/s", false).expect("Steward", "Celery");
        t.row("rtt.true.p50", "round trip, /bin/true task, p50", "ms", true).expect("Steward", "Celery");
        SuiteReport.conductorRows(t);
        return t;
    }

    @Test
    void conductorFiguresAreRatioedAgainstStewardsTrivialRoundTripAndRate() {
        ResultTable t = withConductor();
        for (double v : new double[] {0.5, 0.6, 0.4, 0.5, 0.5}) {
            t.row("rtt.trivial.p50").add("Steward", v);
            t.row("rtt.trivial.p50").add("Conductor", v * 100);
            t.row("rate.trivial").add("Steward", v * 10_000);
            t.row("rate.trivial").add("Conductor", v * 1_000);
        }
        assertThat(cells(t, 0)).containsSubsequence("Conductor", "S/Conductor", "target");
        assertThat(cells(t, 1).get(CONDUCTOR)).isEqualTo("50.0 ms (one-task workflow)");
        assertThat(cells(t, 1).get(S_CONDUCTOR)).isEqualTo("0.0100");
        assertThat(cells(t, 2).get(CONDUCTOR)).isEqualTo("failed"); // p99 expected from Conductor, none recorded
        assertThat(cells(t, 2).get(S_CONDUCTOR)).isEmpty();
        assertThat(cells(t, 3).get(CONDUCTOR)).isEqualTo("500/s (workflows, 2,000 at once)");
        assertThat(cells(t, 3).get(S_CONDUCTOR)).isEqualTo("10.00");
        assertThat(cells(t, 4).get(CONDUCTOR)).isEmpty(); // /bin/true: not a Conductor metric
        @SuppressWarnings("unchecked")
        Map<String, Object> rate = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) ((List<?>) t.toJson(Map.of())
                .get("rows")).get(2)).get("values")).get("Conductor");
        assertThat(rate).containsEntry("median", 500.0).containsEntry("stewardRatio", 10.0);
    }

    @Test
    void conductorThatDidNotStartShowsWhyInItsCellsOnly() {
        ResultTable t = withConductor();
        t.note("Conductor", "did not start");
        t.row("rtt.trivial.p50").add("Steward", 0.5);
        assertThat(cells(t, 1).get(CONDUCTOR)).isEqualTo("did not start");
        assertThat(cells(t, 1).get(S_CONDUCTOR)).isEmpty();
        assertThat(cells(t, 3).get(CONDUCTOR)).isEqualTo("did not start");
        assertThat(cells(t, 4).get(CONDUCTOR)).isEmpty(); // the /bin/true row
        assertThat(t.toJson(Map.of()).get("notes")).isEqualTo(Map.of("Conductor", "did not start"));
    }

    @Test
    void onlyRunsTheNamedGroupsAndMarksTheColumnsNoneOfThemFills() {
        List<String> only = SuiteReport.selected(" Conductor,startup,conductor", true);
        assertThat(only).containsExactly("conductor", "startup");
        assertThat(SuiteReport.columnsNotRun(new ResultTable(SuiteReport.peers(true)).columns(), only))
                .containsExactly("floor", "Celery", "Ansible", "pdsh"); // Steward stays: startup fills it
        assertThat(SuiteReport.columnsNotRun(List.of("Steward", "floor"), SuiteReport.selected(null, false))).isEmpty();
        assertThatThrownBy(() -> SuiteReport.selected("celery,flor", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'flor'");
    }

    @Test
    void outsideClientsOutputParsesOnlyWhenWhole() throws Exception {
        assertThat(OutsideClients.parseRoundTrips("{\"ms\": [0.5, 1.25, 0.75], \"nodelay\": 1, \"warmup\": 20}", 3))
                .containsExactly(0.5, 1.25, 0.75);
        assertThatThrownBy(() -> OutsideClients.parseRoundTrips("{\"ms\": [0.5], \"nodelay\": 0, \"warmup\": 0}", 1))
                .hasMessageContaining("TCP_NODELAY");
        assertThatThrownBy(() -> OutsideClients.parseRoundTrips("{\"ms\": [0.5], \"nodelay\": 1, \"warmup\": 0}", 2))
                .hasMessageContaining("1 round trips, asked for 2");
        assertThatThrownBy(() -> OutsideClients.parseRoundTrips("{\"ms\": [0.0], \"nodelay\": 1, \"warmup\": 0}", 1))
                .hasMessageContaining("0.0 ms");
        String wrk = "Running 2s test @ http://127.0.0.1:1/api/v1/runs?wait=30s\n  2 threads and 8 connections\n"
                + "Requests/sec:    906.97\n"
                + "{\"requests\": 1879, \"seconds\": 2.071744, \"per_s\": 906.965, \"failed\": 0, \"errors\": 0}\n";
        assertThat(OutsideClients.parseRate(wrk)).isEqualTo(906.965);
        assertThatThrownBy(() -> OutsideClients.parseRate(wrk.replace("\"failed\": 0", "\"failed\": 3")))
                .hasMessageContaining("3 not SUCCEEDED");
        assertThatThrownBy(() -> OutsideClients.parseRate(wrk.replace("\"errors\": 0", "\"errors\": 1")))
                .hasMessageContaining("1 socket errors");
        assertThatThrownBy(() -> OutsideClients.parseRate("Requests/sec: 906.97\n")).hasMessageContaining("no result line");
    }

    private static ResultTable outside() {
        ResultTable t = new ResultTable(SuiteReport.peers(false));
        SuiteReport.outsideRows(t);
        return t;
    }

    /** The Markdown cells of the row whose metric starts with {@code metric}. */
    private static List<String> rowCells(ResultTable t, String metric) {
        for (String line : t.render(true).lines().toList()) {
            if (line.startsWith("| " + metric)) {
                return java.util.Arrays.stream(line.substring(1, line.length() - 1).split("\\|", -1)).map(String::strip).toList();
            }
        }
        throw new AssertionError("no row " + metric);
    }

    @Test
    void outsideRowsCarryIssue12sTargetsAgainstCeleryInTheSameRun() {
        ResultTable t = outside();
        String suffix = SuiteReport.OUTSIDE;
        for (double v : new double[] {1.0, 0.9, 1.1}) {
            t.row("out.rtt.trivial.p50").add("Steward", v * 0.5);   // 0.5 ms against Celery's 2 ms: met (≤ 0.667)
            t.row("out.rtt.trivial.p50").add("Celery", v * 2);
            t.row("out.rtt.true.p50").add("Steward", v * 4);        // 4 ms against Celery's 5 ms: missed (> 3.33)
            t.row("out.rtt.true.p50").add("Celery", v * 5);
            t.row("out.rate.trivial").add("Steward", v * 2000);     // 2,000/s against 800/s: missed (< 4,000)
            t.row("out.rate.trivial").add("Celery", v * 800);
            t.row("out.rate.true").add("Steward", v * 400);         // 400/s against 250/s: met (≥ 375)
            t.row("out.rate.true").add("Celery", v * 250);
            t.row("out.cli").add("Steward", v * 320);                // 320 ms: missed (> 300)
            t.row("out.cli").add("floor", v * 12);
        }
        SuiteReport.outsideTargets(t);
        assertThat(rowCells(t, "`steward run X --wait` as a whole process"))
                .containsSubsequence("320 ms", "12.0 ms (curl, same invoke)", "26.67", "≤ 300 ms MISSED");
        assertThat(rowCells(t, "round trip, trivial task, p50" + suffix)).containsSubsequence("0.500 ms", "2.00 ms", "0.25", "≤ Celery/3 met");
        assertThat(rowCells(t, "round trip, /bin/true task, p50" + suffix)).containsSubsequence("4.00 ms", "5.00 ms", "≤ 2/3 Celery MISSED");
        assertThat(rowCells(t, "trivial tasks per second" + suffix))
                .containsSubsequence("2,000/s (wrk, 8 connections)", "800/s (2,000 at once)", "2.50", "≥ 5× Celery MISSED");
        assertThat(rowCells(t, "/bin/true tasks per second" + suffix)).containsSubsequence("400/s (wrk, 8 connections)", "≥ 1.5× Celery met");
        assertThat(rowCells(t, "round trip, trivial task, p99" + suffix)).contains("failed"); // expected, not recorded
    }

    @Test
    void aMissingClientShowsWhyInItsRowsOnly() {
        ResultTable t = outside();
        for (String k : SuiteReport.OUTSIDE_RATE_ROWS) {
            t.row(k).notRun("Steward", "not run: wrk missing");
        }
        t.row("out.rate.trivial").add("Celery", 800);
        t.row("out.rtt.trivial.p50").add("Steward", 0.5);
        t.row("out.rtt.trivial.p50").add("Celery", 2);
        SuiteReport.outsideTargets(t);
        assertThat(rowCells(t, "trivial tasks per second" + SuiteReport.OUTSIDE))
                .containsSubsequence("not run: wrk missing", "800/s (2,000 at once)", "≥ 5× Celery (n/a)");
        assertThat(rowCells(t, "round trip, trivial task, p50" + SuiteReport.OUTSIDE)).contains("0.500 ms").doesNotContain("not run: wrk missing");
        @SuppressWarnings("unchecked")
        Map<String, Object> rate = (Map<String, Object>) ((List<?>) t.toJson(Map.of()).get("rows")).stream()
                .filter(r -> "out.rate.trivial".equals(((Map<?, ?>) r).get("key"))).findFirst().orElseThrow();
        assertThat(rate.get("notRun")).isEqualTo(Map.of("Steward", "not run: wrk missing"));
    }

    @Test
    void rowsOfGroupsLeftOutSayNotRunRatherThanFailed() {
        ResultTable t = new ResultTable(SuiteReport.peers(false));
        t.row("rtt.trivial.p50", "round trip, in-JVM", "ms", true).expect(ResultTable.STEWARD);
        t.row("exec.call", "exec per call", "ms", true).expect(ResultTable.STEWARD, ResultTable.FLOOR);
        t.row("start.healthy", "start-up", "ms", true).expect(ResultTable.STEWARD);
        t.row("loop.same", "loopback", "µs", true).expect(ResultTable.FLOOR);
        SuiteReport.stewardRowsNotRun(t, List.of("outside", "floor"));
        assertThat(t.row("rtt.trivial.p50").notRun).containsEntry("Steward", SuiteReport.NOT_RUN);
        assertThat(t.row("start.healthy").notRun).containsEntry("Steward", SuiteReport.NOT_RUN);
        assertThat(t.row("exec.call").notRun).doesNotContainKey("Steward"); // the floor group measures it
        assertThat(t.row("loop.same").notRun).isEmpty();
        assertThat(rowCells(t, "round trip, in-JVM")).contains(SuiteReport.NOT_RUN).doesNotContain("failed");
    }
}
