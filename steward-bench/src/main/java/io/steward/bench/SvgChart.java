package io.steward.bench;

import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart of the table in plain SVG: one group per metric, one bar per column that has a figure,
 * each bar scaled to the largest figure of its metric (metrics have different units), the figure written beside it.
 */
final class SvgChart {
    private static final String[] COLOURS = {"#1f6feb", "#6e7781", "#d1242f", "#8250df", "#1a7f37", "#bf8700"};
    private static final int LABEL = 330;
    private static final int BAR_MAX = 420;
    private static final int BAR = 14;

    private SvgChart() {
    }

    static String render(ResultTable table, String title) {
        List<String> columns = table.columns();
        String[] titleLines = title.split("\n");
        int top = 16 * (titleLines.length - 1);
        int height = 60 + top;
        for (ResultTable.Row r : table.rows.values()) {
            height += 22 + BAR * Math.max(1, r.samples.size()) + 6;
        }
        int width = LABEL + BAR_MAX + 160;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">%n",
                width, height));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        for (int i = 0; i < titleLines.length; i++) {
            s.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-size=\"%d\"%s>%s</text>%n", 20 + 16 * i,
                    i == 0 ? 14 : 11, i == 0 ? " font-weight=\"bold\"" : "", escape(titleLines[i])));
        }
        int lx = 10;
        for (int i = 0; i < columns.size(); i++) {
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>", lx, 32 + top, colour(i)));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", lx + 14, 41 + top, escape(columns.get(i))));
            lx += 24 + 7 * columns.get(i).length();
        }
        int y = 64 + top;
        for (ResultTable.Row r : table.rows.values()) {
            s.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">%s (%s, %s)</text>%n",
                    y + 10, escape(r.metric), escape(r.unit), r.lowerIsBetter ? "lower is better" : "higher is better"));
            y += 16;
            double max = 0;
            for (String c : r.samples.keySet()) {
                max = Math.max(max, r.median(c));
            }
            for (int i = 0; i < columns.size(); i++) {
                String c = columns.get(i);
                if (!r.samples.containsKey(c)) {
                    continue;
                }
                double v = r.median(c);
                double w = max > 0 ? Math.max(1, v / max * BAR_MAX) : 1;
                s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", LABEL - 6, y + BAR - 3,
                        escape(c + (r.labels.containsKey(c) ? " (" + r.labels.get(c) + ")" : ""))));
                s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>", LABEL, y + 1, w,
                        BAR - 2, colour(i)));
                s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>%n", LABEL + w + 4, y + BAR - 3,
                        escape(ResultTable.format(v, r.unit))));
                y += BAR;
            }
            y += 12;
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static String colour(int i) {
        return COLOURS[i % COLOURS.length];
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
