package io.intentstream.cli.bench;

import io.intentstream.bench.BenchReport;
import io.intentstream.bench.EncoderBench;
import io.intentstream.cli.TextFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Parses the options of {@link EncoderBench} and runs it. */
@Command(
        name = "encoder",
        mixinStandardHelpOptions = true,
        description =
                "Sentences/s, p50/p99 per call and peak RSS of the encoder beside ONNX Runtime on"
                        + " the same weights.")
final class EncoderBenchCommand implements Callable<Integer> {

    @Option(
            names = "--data",
            required = true,
            paramLabel = "FILE",
            description = "Texts: a text,label CSV, an STS TSV or one text a line.")
    Path data;

    @Option(
            names = "--limit",
            defaultValue = "0",
            description = "Use only the first N texts (0: all).")
    int limit;

    @Option(
            names = "--batch-sizes",
            split = ",",
            defaultValue = "1,8,32,128",
            description = "Default: ${DEFAULT-VALUE}.")
    List<Integer> batchSizes;

    @Option(
            names = "--precisions",
            split = ",",
            defaultValue = "fp32,fp16,int8",
            description = "DJL precisions to measure. Default: ${DEFAULT-VALUE}.")
    List<String> precisions;

    @Option(
            names = "--executions",
            split = ",",
            defaultValue = "eager,scripted",
            description =
                    "DJL executions to measure, each with every precision it runs (int8 scripted"
                            + " only). Default: ${DEFAULT-VALUE}.")
    List<String> executions;

    @Option(
            names = "--ort-threads",
            defaultValue = "0",
            description = "ONNX Runtime intra-op threads (0: its default).")
    int ortThreads;

    @Option(
            names = "--warmup",
            defaultValue = "64",
            description = "Texts embedded before each measurement. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(
            names = "--rounds",
            defaultValue = "3",
            description =
                    "Measurements of every configuration, interleaved. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Mixin BenchOutputOptions output;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        EncoderBench.Settings settings =
                new EncoderBench.Settings(
                        TextFiles.read(data, limit),
                        data.toString(),
                        batchSizes,
                        precisions,
                        executions,
                        ortThreads,
                        warmup,
                        rounds);
        BenchReport report = BenchReport.start("encoder", Clock.systemUTC());
        new EncoderBench(settings).run(out, report);
        output.write(report, out);
        return 0;
    }
}
