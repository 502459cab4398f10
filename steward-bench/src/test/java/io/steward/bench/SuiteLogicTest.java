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
}
