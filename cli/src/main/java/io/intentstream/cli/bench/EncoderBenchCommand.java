package io.intentstream.cli.bench;

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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The DJL encoder beside ONNX Runtime (fp32, same weights and tokens) at several batch sizes, in
 * input order and length-sorted. Every configuration runs once per round, rounds interleave the
 * engines, and each ratio is the median over rounds of the same round's figures, so a neighbour
 * that loads the machine for a while slows both sides of a ratio alike.
 */
@Command(name = "encoder", mixinStandardHelpOptions = true,
        description = "Sentences/s, p50/p99 per call and peak RSS of the encoder beside ONNX Runtime on the same weights.")
final class EncoderBenchCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Texts: a text,label CSV, an STS TSV or one text a line.")
    Path data;

    @Option(names = "--limit", defaultValue = "0", description = "Use only the first N texts (0: all).")
    int limit;

    @Option(names = "--batch-sizes", split = ",", defaultValue = "1,8,32,128", description = "Default: ${DEFAULT-VALUE}.")
    List<Integer> batchSizes;

    @Option(names = "--precisions", split = ",", defaultValue = "fp32,fp16,int8", description = "DJL precisions to measure. Default: ${DEFAULT-VALUE}.")
    List<String> precisions;

    @Option(names = "--executions", split = ",", defaultValue = "eager,scripted",
            description = "DJL executions to measure, each with every precision it runs (int8 scripted only). Default: ${DEFAULT-VALUE}.")
    List<String> executions;

    @Option(names = "--ort-threads", defaultValue = "0", description = "ONNX Runtime intra-op threads (0: its default).")
    int ortThreads;

    @Option(names = "--warmup", defaultValue = "64", description = "Texts embedded before each measurement. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--rounds", defaultValue = "3", description = "Measurements of every configuration, interleaved. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    /** One engine at one batch size and order. */
    private record Config(String engine, boolean sorted, int batchSize, Supplier<SentenceEncoder> factory) {
        String label() {
            return sorted ? "sorted" : "in-order";
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<String> texts = io.intentstream.cli.TextFiles.read(data, limit);
        EncoderBenchmark bench = new EncoderBenchmark(texts, warmup);
        byte[] onnx = DefaultModel.onnxBytes();
        byte[] tokenizerJson = DefaultModel.tokenizerBytes();
        out.printf("encoder benchmark: %d texts from %s, %d cores, %d rounds%n", texts.size(), data,
                Runtime.getRuntime().availableProcessors(), rounds);
        out.flush();

        try (SentenceModel model = DefaultModel.load(ai.djl.Device.cpu())) {
            List<Config> configs = new ArrayList<>();
            for (int batch : batchSizes) {
                for (boolean sorted : batch == 1 ? List.of(false) : List.of(false, true)) {
                    configs.add(new Config("onnxruntime-fp32", sorted, batch, () -> new OnnxRuntimeEncoder(onnx,
                            new SentenceTokenizer(tokenizerJson, DefaultModel.MAX_SEQ_LENGTH), batch, sorted, ortThreads)));
                    for (String e : executions) {
                        for (String p : precisions) {
                            Precision precision = Precision.parse(p);
                            Execution execution = Execution.parse(e);
                            if (precision.runsWith(execution)) {
                                EncoderOptions options = new EncoderOptions(batch, sorted, precision, execution);
                                String engine = ("djl-" + execution + "-" + precision).toLowerCase(java.util.Locale.ROOT);
                                configs.add(new Config(engine, sorted, batch, () -> new DjlSentenceEncoder(model, options)));
                            }
                        }
                    }
                }
            }
            Map<Config, List<EncoderBenchmark.Result>> results = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                out.printf("round %d%n", round);
                for (Config c : configs) {
                    EncoderBenchmark.Result r = bench.run(c.engine(), c.label(), c.batchSize(), c.sorted(), c.factory());
                    results.computeIfAbsent(c, k -> new ArrayList<>()).add(r);
                    print(out, r);
                }
            }
            summarize(out, results);
        }
        return 0;
    }

    private static void print(PrintWriter out, EncoderBenchmark.Result r) {
        out.printf("  %-20s %-9s batch %4d  %8.1f sentences/s  p50 %8.2f ms  p99 %8.2f ms  peak RSS %7.0f MiB%n",
                r.engine(), r.config(), r.batchSize(), r.sentencesPerSecond(), r.p50Millis(), r.p99Millis(), r.peakRssMiB());
        out.flush();
    }

    private static void summarize(PrintWriter out, Map<Config, List<EncoderBenchmark.Result>> results) {
        Config ortBest = results.keySet().stream().filter(c -> c.engine().startsWith("onnxruntime"))
                .max(Comparator.comparingDouble(c -> median(results.get(c), EncoderBenchmark.Result::sentencesPerSecond)))
                .orElseThrow();
        Config ortBatch1 = results.keySet().stream()
                .filter(c -> c.engine().startsWith("onnxruntime") && c.batchSize() == 1).findFirst().orElse(null);
        out.printf("%nbaseline: onnxruntime-fp32 %s batch %d (its best); medians over rounds%n", ortBest.label(), ortBest.batchSize());
        out.printf("%-20s %-9s %5s %12s %9s %9s %10s %14s %9s%n",
                "engine", "config", "batch", "sentences/s", "p50 ms", "p99 ms", "vs ORT best", "p50 vs ORT b1", "RSS MiB");
        for (Map.Entry<Config, List<EncoderBenchmark.Result>> e : results.entrySet()) {
            Config c = e.getKey();
            List<EncoderBenchmark.Result> rs = e.getValue();
            double ratio = medianOfRatios(rs, results.get(ortBest), EncoderBenchmark.Result::sentencesPerSecond);
            String p50 = ortBatch1 != null && c.batchSize() == 1
                    ? String.format("%.2fx", medianOfRatios(rs, results.get(ortBatch1), EncoderBenchmark.Result::p50Millis))
                    : "";
            out.printf("%-20s %-9s %5d %12.1f %9.2f %9.2f %10.2fx %14s %9.0f%n", c.engine(), c.label(), c.batchSize(),
                    median(rs, EncoderBenchmark.Result::sentencesPerSecond), median(rs, EncoderBenchmark.Result::p50Millis),
                    median(rs, EncoderBenchmark.Result::p99Millis), ratio, p50,
                    rs.stream().mapToDouble(EncoderBenchmark.Result::peakRssMiB).max().orElse(-1));
        }
        out.flush();
    }

    private static double median(List<EncoderBenchmark.Result> rs, java.util.function.ToDoubleFunction<EncoderBenchmark.Result> f) {
        return median(rs.stream().mapToDouble(f).toArray());
    }

    /** The median over rounds of {@code f(a) / f(b)}, each ratio taken within one round. */
    private static double medianOfRatios(List<EncoderBenchmark.Result> a, List<EncoderBenchmark.Result> b,
            java.util.function.ToDoubleFunction<EncoderBenchmark.Result> f) {
        double[] ratios = new double[Math.min(a.size(), b.size())];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = f.applyAsDouble(a.get(i)) / f.applyAsDouble(b.get(i));
        }
        return median(ratios);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        int n = v.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
