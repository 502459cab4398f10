package io.steward.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The suite's one table: a row per metric, a column for Steward, the floor and each peer, each cell the median of
 * the repetitions' figures; ratios Steward/column; a target per row where the issue sets one. A column that could
 * not be measured (a peer not installed) carries a note instead of figures.
 */
final class ResultTable {
    static final String STEWARD = "Steward";
    static final String FLOOR = "floor";

    /** A metric. {@code lowerIsBetter} for times, false for rates. */
    static final class Row {
        final String metric;
        final String unit;
        final boolean lowerIsBetter;
        final Map<String, List<Double>> samples = new LinkedHashMap<>();
        final Map<String, String> labels = new LinkedHashMap<>();
        final java.util.Set<String> expected = new java.util.LinkedHashSet<>();
        /** Why an expected cell of this row alone has no figure (a tool only it needs is missing). */
        final Map<String, String> notRun = new LinkedHashMap<>();
        String target = "";
        Boolean met;

        Row(String metric, String unit, boolean lowerIsBetter) {
            this.metric = metric;
            this.unit = unit;
            this.lowerIsBetter = lowerIsBetter;
        }

        void add(String column, double value) {
            samples.computeIfAbsent(column, c -> new ArrayList<>()).add(value);
        }

        /** Columns this metric has a figure for when every tool is present. */
        Row expect(String... columns) {
            expected.addAll(List.of(columns));
            return this;
        }

        /** Marks one cell as not measured, with the reason shown in it; the column's other rows are unaffected. */
        Row notRun(String column, String why) {
            notRun.put(column, why);
            return this;
        }

        /** What a cell measures, when it is not obvious from the metric (e.g. which floor). */
        Row label(String column, String what) {
            labels.put(column, what);
            return this;
        }

        double median(String column) {
            List<Double> s = samples.get(column);
            return s == null || s.isEmpty() ? Double.NaN : Stats.median(s);
        }

        int repetitions(String column) {
            List<Double> s = samples.get(column);
            return s == null ? 0 : s.size();
        }
    }

    final List<String> peers;
    final Map<String, Row> rows = new LinkedHashMap<>();
    final Map<String, String> notes = new LinkedHashMap<>();

    ResultTable(List<String> peers) {
        this.peers = List.copyOf(peers);
    }

    List<String> columns() {
        List<String> c = new ArrayList<>(List.of(STEWARD, FLOOR));
        c.addAll(peers);
        return c;
    }

    Row row(String key, String metric, String unit, boolean lowerIsBetter) {
        return rows.computeIfAbsent(key, k -> new Row(metric, unit, lowerIsBetter));
    }

    Row row(String key) {
        Row r = rows.get(key);
        if (r == null) {
            throw new IllegalArgumentException("no row " + key);
        }
        return r;
    }

    /** Marks a column as not measured, with the reason shown in its cells. */
    void note(String column, String why) {
        notes.put(column, why);
    }

    static String format(double v, String unit) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (unit.equals("/s")) {
            return String.format(Locale.ROOT, "%,.0f/s", v);
        }
        double a = Math.abs(v);
        String f = a >= 100 ? "%,.0f %s" : a >= 10 ? "%.1f %s" : a >= 1 ? "%.2f %s" : "%.3f %s";
        return String.format(Locale.ROOT, f, v, unit).trim();
    }

    static String formatRatio(double r) {
        if (Double.isNaN(r)) {
            return "-";
        }
        return r >= 100 ? String.format(Locale.ROOT, "%.0f", r) : r >= 0.1 ? String.format(Locale.ROOT, "%.2f", r)
                : String.format(Locale.ROOT, "%.4f", r);
    }

    String cell(Row r, String column) {
        if (r.samples.containsKey(column)) {
            String v = format(r.median(column), r.unit);
            return r.labels.containsKey(column) ? v + " (" + r.labels.get(column) + ")" : v;
        }
        if (r.expected.contains(column)) {
            return r.notRun.getOrDefault(column, notes.getOrDefault(column, "failed"));
        }
        return "";
    }

    /** The plain-text table; {@code markdown} for the README. */
    String render(boolean markdown) {
        List<String> header = new ArrayList<>(List.of("metric"));
        header.addAll(columns());
        for (String c : columns()) {
            if (!c.equals(STEWARD)) {
                header.add("S/" + c);
            }
        }
        header.add("target");
        List<List<String>> lines = new ArrayList<>();
        lines.add(header);
        for (Row r : rows.values()) {
            List<String> line = new ArrayList<>(List.of(r.metric));
            for (String c : columns()) {
                line.add(cell(r, c));
            }
            double s = r.median(STEWARD);
            for (String c : columns()) {
                if (!c.equals(STEWARD)) {
                    line.add(r.samples.containsKey(c) && r.samples.containsKey(STEWARD) ? formatRatio(Stats.ratio(s, r.median(c))) : "");
                }
            }
            line.add(r.target.isEmpty() ? "" : r.target + (r.met == null ? " (n/a)" : r.met ? " met" : " MISSED"));
            lines.add(line);
        }
        StringBuilder out = new StringBuilder();
        if (markdown) {
            for (int i = 0; i < lines.size(); i++) {
                out.append("| ").append(String.join(" | ", lines.get(i))).append(" |\n");
                if (i == 0) {
                    out.append("|").append(" --- |".repeat(header.size())).append("\n");
                }
            }
            return out.toString();
        }
        int[] width = new int[header.size()];
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                width[i] = Math.max(width[i], line.get(i).length());
            }
        }
        for (List<String> line : lines) {
            StringBuilder l = new StringBuilder();
            for (int i = 0; i < line.size(); i++) {
                String v = line.get(i);
                l.append(i == 0 ? pad(v, width[i], true) : "  " + pad(v, width[i], i == line.size() - 1));
            }
            out.append(l.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String pad(String s, int width, boolean left) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return left ? s + fill : fill + s;
    }

    /** The table as a JSON-ready tree: every sample, medians, ratios, targets. */
    Map<String, Object> toJson(Map<String, Object> machine) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("machine", machine);
        root.put("columns", columns());
        root.put("notes", notes);
        List<Object> out = new ArrayList<>();
        for (Map.Entry<String, Row> e : rows.entrySet()) {
            Row r = e.getValue();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("key", e.getKey());
            row.put("metric", r.metric);
            row.put("unit", r.unit);
            row.put("lowerIsBetter", r.lowerIsBetter);
            Map<String, Object> cells = new LinkedHashMap<>();
            for (String c : r.samples.keySet()) {
                Map<String, Object> cell = new LinkedHashMap<>();
                cell.put("median", r.median(c));
                cell.put("samples", r.samples.get(c));
                if (r.labels.containsKey(c)) {
                    cell.put("what", r.labels.get(c));
                }
                if (!c.equals(STEWARD) && r.samples.containsKey(STEWARD)) {
                    double ratio = Stats.ratio(r.median(STEWARD), r.median(c));
                    cell.put("stewardRatio", Double.isNaN(ratio) ? null : ratio);
                }
                cells.put(c, cell);
            }
            row.put("values", cells);
            if (!r.notRun.isEmpty()) {
                row.put("notRun", r.notRun);
            }
            if (!r.target.isEmpty()) {
                row.put("target", r.target);
                row.put("met", r.met);
            }
            out.add(row);
        }
        root.put("rows", out);
        return root;
    }
}
