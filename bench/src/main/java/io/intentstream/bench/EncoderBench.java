package io.intentstream.bench;

import io.intentstream.encoder.DefaultModel;
import io.intentstream.encoder.DjlSentenceEncoder;
import io.intentstream.encoder.EncoderOptions;
import io.intentstream.encoder.Execution;
import io.intentstream.encoder.Precision;
import io.intentstream.encoder.SentenceEncoder;
import io.intentstream.encoder.SentenceModel;
import io.intentstream.encoder.SentenceTokenizer;
import io.intentstream.encoder.reference.OnnxRuntimeEncoder;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The DJL encoder beside ONNX Runtime (fp32, same weights and tokens) at several batch sizes, in
 * input order and length-sorted. Every configuration runs once per round, rounds interleave the
 * engines, and each ratio is the median over rounds of the same round's figures, so a neighbour
 * that loads the machine for a while slows both sides of a ratio alike.
 */
public final class EncoderBench {

    /**
     * What to measure.
     *
     * @param source where the texts came from, for the report
     * @param precisions DJL precisions ({@link Precision#parse(String)} names)
     * @param executions DJL executions ({@link Execution#parse(String)} names); each runs with
     *     every precision it supports
     * @param ortThreads ONNX Runtime intra-op threads, 0 for its default
     * @param warmup texts embedded before each measurement
     * @param rounds measurements of every configuration, interleaved
     */
    public record Settings(
            List<String> texts,
            String source,
            List<Integer> batchSizes,
            List<String> precisions,
            List<String> executions,
            int ortThreads,
            int warmup,
            int rounds) {
        public Settings {
            texts = List.copyOf(texts);
            batchSizes = List.copyOf(batchSizes);
            precisions = List.copyOf(precisions);
            executions = List.copyOf(executions);
        }
    }

    private final Settings settings;

    public EncoderBench(Settings settings) {
        this.settings = settings;
    }

    /** One engine at one batch size and order. */
    private record Config(
            String engine, boolean sorted, int batchSize, Supplier<SentenceEncoder> factory) {
        String label() {
            return sorted ? "sorted" : "in-order";
        }
    }

    /**
     * Measures every configuration, prints each round and the summary to {@code out}, and records
     * the summary rows in {@code report}.
     */
    public void run(PrintWriter out, BenchReport report) throws Exception {
        List<String> texts = settings.texts();
        int rounds = settings.rounds();
        int ortThreads = settings.ortThreads();
        report.setting("texts", texts.size())
                .setting("source", settings.source())
                .setting("batchSizes", settings.batchSizes())
                .setting("precisions", settings.precisions())
                .setting("executions", settings.executions())
                .setting("ortThreads", ortThreads)
                .setting("warmup", settings.warmup())
                .setting("rounds", rounds);
        EncoderBenchmark bench = new EncoderBenchmark(texts, settings.warmup());
        byte[] onnx = DefaultModel.onnxBytes();
        byte[] tokenizerJson = DefaultModel.tokenizerBytes();
        out.printf(
                "encoder benchmark: %d texts from %s, %d cores, %d rounds%n",
                texts.size(),
                settings.source(),
                Runtime.getRuntime().availableProcessors(),
                rounds);
        out.flush();

        try (SentenceModel model = DefaultModel.load(ai.djl.Device.cpu())) {
            List<Config> configs = new ArrayList<>();
            for (int batch : settings.batchSizes()) {
                for (boolean sorted : batch == 1 ? List.of(false) : List.of(false, true)) {
                    configs.add(
                            new Config(
                                    "onnxruntime-fp32",
                                    sorted,
                                    batch,
                                    () ->
                                            new OnnxRuntimeEncoder(
                                                    onnx,
                                                    new SentenceTokenizer(
                                                            tokenizerJson,
                                                            DefaultModel.MAX_SEQ_LENGTH),
                                                    batch,
                                                    sorted,
                                                    ortThreads)));
                    for (String e : settings.executions()) {
                        for (String p : settings.precisions()) {
                            Precision precision = Precision.parse(p);
                            Execution execution = Execution.parse(e);
                            if (precision.runsWith(execution)) {
                                EncoderOptions options =
                                        new EncoderOptions(batch, sorted, precision, execution);
                                String engine =
                                        ("djl-" + execution + "-" + precision)
                                                .toLowerCase(Locale.ROOT);
                                configs.add(
                                        new Config(
                                                engine,
                                                sorted,
                                                batch,
                                                () -> new DjlSentenceEncoder(model, options)));
                            }
                        }
                    }
                }
            }
            Map<Config, List<EncoderBenchmark.Result>> results = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                out.printf("round %d%n", round);
                for (Config c : configs) {
                    EncoderBenchmark.Result r =
                            bench.run(
                                    c.engine(), c.label(), c.batchSize(), c.sorted(), c.factory());
                    results.computeIfAbsent(c, k -> new ArrayList<>()).add(r);
                    print(out, r);
                }
            }
            summarize(out, results, report);
        }
    }

    private static void print(PrintWriter out, EncoderBenchmark.Result r) {
        out.printf(
                "  %-20s %-9s batch %4d  %8.1f sentences/s  p50 %8.2f ms  p99 %8.2f ms  peak RSS"
                        + " %7.0f MiB%n",
                r.engine(),
                r.config(),
                r.batchSize(),
                r.sentencesPerSecond(),
                r.p50Millis(),
                r.p99Millis(),
                r.peakRssMiB());
        out.flush();
    }

    private static void summarize(
            PrintWriter out,
            Map<Config, List<EncoderBenchmark.Result>> results,
            BenchReport report) {
        Config ortBest =
                results.keySet().stream()
                        .filter(c -> c.engine().startsWith("onnxruntime"))
                        .max(
                                Comparator.comparingDouble(
                                        c ->
                                                median(
                                                        results.get(c),
                                                        EncoderBenchmark.Result
                                                                ::sentencesPerSecond)))
                        .orElseThrow();
        Config ortBatch1 =
                results.keySet().stream()
                        .filter(c -> c.engine().startsWith("onnxruntime") && c.batchSize() == 1)
                        .findFirst()
                        .orElse(null);
        out.printf(
                "%nbaseline: onnxruntime-fp32 %s batch %d (its best); medians over rounds%n",
                ortBest.label(), ortBest.batchSize());
        out.printf(
                "%-20s %-9s %5s %12s %9s %9s %10s %14s %9s%n",
                "engine",
                "config",
                "batch",
                "sentences/s",
                "p50 ms",
                "p99 ms",
                "vs ORT best",
                "p50 vs ORT b1",
                "RSS MiB");
        for (Map.Entry<Config, List<EncoderBenchmark.Result>> e : results.entrySet()) {
            Config c = e.getKey();
            List<EncoderBenchmark.Result> rs = e.getValue();
            double ratio =
                    medianOfRatios(
                            rs, results.get(ortBest), EncoderBenchmark.Result::sentencesPerSecond);
            String p50 =
                    ortBatch1 != null && c.batchSize() == 1
                            ? String.format(
                                    "%.2fx",
                                    medianOfRatios(
                                            rs,
                                            results.get(ortBatch1),
                                            EncoderBenchmark.Result::p50Millis))
                            : "";
            double rss =
                    rs.stream().mapToDouble(EncoderBenchmark.Result::peakRssMiB).max().orElse(-1);
            out.printf(
                    "%-20s %-9s %5d %12.1f %9.2f %9.2f %10.2fx %14s %9.0f%n",
                    c.engine(),
                    c.label(),
                    c.batchSize(),
                    median(rs, EncoderBenchmark.Result::sentencesPerSecond),
                    median(rs, EncoderBenchmark.Result::p50Millis),
                    median(rs, EncoderBenchmark.Result::p99Millis),
                    ratio,
                    p50,
                    rss);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("engine", c.engine());
            row.put("config", c.label());
            row.put("batchSize", c.batchSize());
            row.put("sentencesPerSecond", median(rs, EncoderBenchmark.Result::sentencesPerSecond));
            row.put("p50Millis", median(rs, EncoderBenchmark.Result::p50Millis));
            row.put("p99Millis", median(rs, EncoderBenchmark.Result::p99Millis));
            row.put("throughputVsOrtBest", ratio);
            row.put(
                    "p50VsOrtBatch1",
                    ortBatch1 != null && c.batchSize() == 1
                            ? medianOfRatios(
                                    rs, results.get(ortBatch1), EncoderBenchmark.Result::p50Millis)
                            : null);
            row.put("peakRssMiB", rss);
            report.row(row);
        }
        report.summary(
                "baseline",
                "onnxruntime-fp32 " + ortBest.label() + " batch " + ortBest.batchSize());
        out.flush();
    }

    private static double median(
            List<EncoderBenchmark.Result> rs, ToDoubleFunction<EncoderBenchmark.Result> f) {
        return median(rs.stream().mapToDouble(f).toArray());
    }

    /** The median over rounds of {@code f(a) / f(b)}, each ratio taken within one round. */
    private static double medianOfRatios(
            List<EncoderBenchmark.Result> a,
            List<EncoderBenchmark.Result> b,
            ToDoubleFunction<EncoderBenchmark.Result> f) {
        double[] ratios = new double[Math.min(a.size(), b.size())];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = f.applyAsDouble(a.get(i)) / f.applyAsDouble(b.get(i));
        }
        return median(ratios);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
