package io.intentstream.local.loop;

import io.intentstream.trainer.publish.ReleaseChart;
import io.intentstream.trainer.publish.ReleaseRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The release history as a self-contained HTML page with SVG charts: held-out accuracy of each
 * candidate and of the release it was compared with, and the training loss, per training run.
 */
public final class ReleaseReport {

    private ReleaseReport() {}

    /** The page for {@code history}. */
    public static String html(List<ReleaseRecord> history) {
        return html(history, Map.of(), List.of());
    }

    /**
     * @param extraAccuracy further accuracy series, one value per training run, charted beside the
     *     held-out ones
     * @param notes lines printed under the charts
     */
    public static String html(
            List<ReleaseRecord> history, Map<String, double[]> extraAccuracy, List<String> notes) {
        List<String> labels = new ArrayList<>();
        int n = history.size();
        double[] candidate = new double[n];
        double[] current = new double[n];
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            ReleaseRecord r = history.get(i);
            labels.add(r.version() + (r.released() ? "" : " (rejected)"));
            candidate[i] = r.metrics().getOrDefault("heldout.accuracy", Double.NaN);
            current[i] = r.metrics().getOrDefault("current.heldout.accuracy", Double.NaN);
            loss[i] = r.training().getOrDefault("loss", Double.NaN);
        }
        Map<String, double[]> accuracy = new LinkedHashMap<>();
        accuracy.put("held-out accuracy, candidate", candidate);
        accuracy.put("held-out accuracy, parent", current);
        accuracy.putAll(extraAccuracy);
        return ReleaseChart.html(
                "intent-stream releases",
                labels,
                List.of(
                        new ReleaseChart.Panel("Accuracy per training run", accuracy),
                        new ReleaseChart.Panel(
                                "Training loss (smoothed, end of run)", Map.of("loss", loss))),
                notes);
    }
}
