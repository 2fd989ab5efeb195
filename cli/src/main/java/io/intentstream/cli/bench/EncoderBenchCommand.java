package io.intentstream.cli.bench;

import io.intentstream.cli.ModelOptions;
import io.intentstream.encoder.DefaultModel;
import io.intentstream.encoder.DjlSentenceEncoder;
import io.intentstream.encoder.EncoderOptions;
import io.intentstream.encoder.Precision;
import io.intentstream.encoder.SentenceModel;
import io.intentstream.encoder.SentenceTokenizer;
import io.intentstream.encoder.reference.OnnxRuntimeEncoder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The DJL encoder beside ONNX Runtime (fp32, same weights and tokens) at several batch sizes, in
 * input order and length-sorted; reports each configuration's throughput as a ratio to ONNX
 * Runtime's best.
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

    @Option(names = "--precisions", split = ",", defaultValue = "fp32,fp16", description = "DJL precisions to measure. Default: ${DEFAULT-VALUE}.")
    List<String> precisions;

    @Option(names = "--ort-threads", defaultValue = "0", description = "ONNX Runtime intra-op threads (0: its default).")
    int ortThreads;

    @Option(names = "--warmup", defaultValue = "64", description = "Texts embedded before each measurement. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<String> texts = io.intentstream.cli.TextFiles.read(data, limit);
        EncoderBenchmark bench = new EncoderBenchmark(texts, warmup);
        byte[] onnx = DefaultModel.onnxBytes();
        byte[] tokenizerJson = DefaultModel.tokenizerBytes();
        out.printf("encoder benchmark: %d texts from %s, %d cores%n", texts.size(), data,
                Runtime.getRuntime().availableProcessors());
        out.flush();

        List<EncoderBenchmark.Result> results = new ArrayList<>();
        try (SentenceModel model = DefaultModel.load(ai.djl.Device.cpu())) {
            for (int batch : batchSizes) {
                for (boolean sorted : batch == 1 ? List.of(false) : List.of(false, true)) {
                    String config = sorted ? "sorted" : "in-order";
                    results.add(print(out, bench.run("onnxruntime-fp32", config, batch, sorted,
                            () -> new OnnxRuntimeEncoder(onnx, new SentenceTokenizer(tokenizerJson, DefaultModel.MAX_SEQ_LENGTH),
                                    batch, sorted, ortThreads))));
                    for (String p : precisions) {
                        Precision precision = Precision.parse(p);
                        EncoderOptions options = new EncoderOptions(batch, sorted, precision);
                        results.add(print(out, bench.run("djl-" + p, config, batch, sorted,
                                () -> new DjlSentenceEncoder(model, options))));
                    }
                }
            }
        }
        summarize(out, results);
        return 0;
    }

    private static EncoderBenchmark.Result print(PrintWriter out, EncoderBenchmark.Result r) {
        out.printf("  %-18s %-9s batch %4d  %8.1f sentences/s  p50 %8.2f ms  p99 %8.2f ms  peak RSS %7.0f MiB%n",
                r.engine(), r.config(), r.batchSize(), r.sentencesPerSecond(), r.p50Millis(), r.p99Millis(), r.peakRssMiB());
        out.flush();
        return r;
    }

    private static void summarize(PrintWriter out, List<EncoderBenchmark.Result> results) {
        EncoderBenchmark.Result ortBest = results.stream().filter(r -> r.engine().startsWith("onnxruntime"))
                .max(java.util.Comparator.comparingDouble(EncoderBenchmark.Result::sentencesPerSecond)).orElseThrow();
        EncoderBenchmark.Result ortBatch1 = results.stream()
                .filter(r -> r.engine().startsWith("onnxruntime") && r.batchSize() == 1).findFirst().orElse(null);
        out.printf("%nbaseline: onnxruntime-fp32 best = %.1f sentences/s (%s, batch %d)%n",
                ortBest.sentencesPerSecond(), ortBest.config(), ortBest.batchSize());
        out.printf("%-18s %-9s %5s %12s %10s %14s%n", "engine", "config", "batch", "sentences/s", "vs ORT best", "p50 vs ORT b1");
        for (EncoderBenchmark.Result r : results) {
            String p50 = ortBatch1 != null && r.batchSize() == 1
                    ? String.format("%.2fx", r.p50Millis() / ortBatch1.p50Millis()) : "";
            out.printf("%-18s %-9s %5d %12.1f %9.2fx %14s%n", r.engine(), r.config(), r.batchSize(),
                    r.sentencesPerSecond(), r.sentencesPerSecond() / ortBest.sentencesPerSecond(), p50);
        }
        out.flush();
    }
}
