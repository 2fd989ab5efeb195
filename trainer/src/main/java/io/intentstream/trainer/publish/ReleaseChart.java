package io.intentstream.trainer.publish;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained HTML page with SVG line charts of metrics per release (no scripts, no external
 * resources), e.g. held-out and test accuracy and training loss.
 */
public final class ReleaseChart {

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd"};
    private static final int WIDTH = 720;
    private static final int HEIGHT = 300;
    private static final int PAD = 50;

    /** One chart: a title and series of values per release (NaN where a release has none). */
    public record Panel(String title, Map<String, double[]> series) {}

    private ReleaseChart() {}

    public static String html(
            String title, List<String> releases, List<Panel> panels, List<String> notes) {
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>")
                .append(escape(title))
                .append("</title>")
                .append(
                        "<style>body{font-family:sans-serif;margin:2em}td,th{padding:2px"
                                + " 8px;text-align:right}</style></head><body>")
                .append("<h1>")
                .append(escape(title))
                .append("</h1>");
        for (Panel p : panels) {
            out.append("<h2>").append(escape(p.title())).append("</h2>").append(svg(releases, p));
        }
        out.append("<h2>Figures</h2><table><tr><th>release</th>");
        List<String> columns = new ArrayList<>();
        Map<String, double[]> all = new LinkedHashMap<>();
        for (Panel p : panels) {
            all.putAll(p.series());
        }
        columns.addAll(all.keySet());
        columns.forEach(c -> out.append("<th>").append(escape(c)).append("</th>"));
        out.append("</tr>");
        for (int i = 0; i < releases.size(); i++) {
            out.append("<tr><td>").append(escape(releases.get(i))).append("</td>");
            for (String c : columns) {
                double v = all.get(c)[i];
                out.append("<td>")
                        .append(Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v))
                        .append("</td>");
            }
            out.append("</tr>");
        }
        out.append("</table>");
        for (String n : notes) {
            out.append("<p>").append(escape(n)).append("</p>");
        }
        return out.append("</body></html>\n").toString();
    }

    static String svg(List<String> releases, Panel panel) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] values : panel.series().values()) {
            for (double v : values) {
                if (!Double.isNaN(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (min == Double.POSITIVE_INFINITY) {
            min = 0;
            max = 1;
        }
        double span = max - min;
        min -= span == 0 ? 0.05 : span * 0.1;
        max += span == 0 ? 0.05 : span * 0.1;
        int n = releases.size();
        double plotW = WIDTH - 2.0 * PAD;
        double plotH = HEIGHT - 2.0 * PAD;
        StringBuilder s =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\""
                                        + " height=\"%d\" font-size=\"11\">",
                                WIDTH,
                                HEIGHT));
        s.append(
                String.format(
                        Locale.ROOT,
                        "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"none\""
                                + " stroke=\"#999\"/>",
                        PAD,
                        PAD,
                        plotW,
                        plotH));
        for (int k = 0; k <= 4; k++) {
            double v = min + (max - min) * k / 4;
            double y = PAD + plotH - plotH * k / 4;
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.3f</text>",
                            PAD - 4,
                            y + 4,
                            v));
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<line x1=\"%d\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>",
                            PAD,
                            PAD + plotW,
                            y,
                            y));
        }
        for (int i = 0; i < n; i++) {
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                            x(i, n, plotW),
                            HEIGHT - PAD + 16,
                            escape(releases.get(i))));
        }
        int c = 0;
        for (Map.Entry<String, double[]> e : panel.series().entrySet()) {
            String colour = COLOURS[c % COLOURS.length];
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < n; i++) {
                double v = e.getValue()[i];
                if (Double.isNaN(v)) {
                    continue;
                }
                double x = x(i, n, plotW);
                double y = PAD + plotH - plotH * (v - min) / (max - min);
                path.append(path.isEmpty() ? "M" : "L")
                        .append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                s.append(
                        String.format(
                                Locale.ROOT,
                                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>",
                                x,
                                y,
                                colour));
            }
            s.append("<path d=\"")
                    .append(path)
                    .append("\" fill=\"none\" stroke=\"")
                    .append(colour)
                    .append("\" stroke-width=\"2\"/>");
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>",
                            PAD + 10 + 180 * c,
                            PAD - 10,
                            colour,
                            escape(e.getKey())));
            c++;
        }
        return s.append("</svg>").toString();
    }

    private static double x(int i, int n, double plotW) {
        return PAD + (n == 1 ? plotW / 2 : plotW * i / (n - 1));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
