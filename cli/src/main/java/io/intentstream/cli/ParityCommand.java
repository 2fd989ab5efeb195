package io.intentstream.cli;

import io.intentstream.encoder.DefaultModel;
import io.intentstream.encoder.DjlSentenceEncoder;
import io.intentstream.encoder.EncoderOptions;
import io.intentstream.encoder.SentenceModel;
import io.intentstream.encoder.SentenceTokenizer;
import io.intentstream.encoder.reference.OnnxRuntimeEncoder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Compares the DJL encoder's vectors with ONNX Runtime's on the default model's weights. */
@Command(
        name = "parity",
        mixinStandardHelpOptions = true,
        description =
                "Cosine between the DJL encoder's and ONNX Runtime's vectors for every text of a"
                        + " file (default model).")
final class ParityCommand implements Callable<Integer> {

    @Option(
            names = "--data",
            required = true,
            paramLabel = "FILE",
            description = "A text,label CSV, an STS TSV or one text a line.")
    Path data;

    @Option(
            names = "--limit",
            defaultValue = "0",
            description = "Use only the first N texts (0: all).")
    int limit;

    @Option(
            names = "--min-cosine",
            defaultValue = "0.9999",
            description = "Exit 1 when any cosine is lower. Default: ${DEFAULT-VALUE}.")
    double minCosine;

    @Mixin InferenceOptions inference;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<String> texts = TextFiles.read(data, limit);
        float[][] djl;
        float[][] ort;
        try (SentenceModel model = DefaultModel.load(ai.djl.Device.cpu());
                DjlSentenceEncoder encoder =
                        new DjlSentenceEncoder(
                                model,
                                EncoderOptions.DEFAULT
                                        .withPrecision(inference.precision())
                                        .withExecution(inference.execution()))) {
            djl = encoder.encode(texts);
        }
        SentenceTokenizer tokenizer =
                new SentenceTokenizer(DefaultModel.tokenizerBytes(), DefaultModel.MAX_SEQ_LENGTH);
        try (OnnxRuntimeEncoder reference =
                new OnnxRuntimeEncoder(DefaultModel.onnxBytes(), tokenizer, 32, true, 0)) {
            ort = reference.encode(texts);
        }
        ParityReport report = ParityReport.compare(djl, ort);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "texts %d  min cosine %.12f  mean cosine %.12f  max |delta| %.3e  below %s: %d%n",
                texts.size(),
                report.minCosine(),
                report.meanCosine(),
                report.maxAbsDelta(),
                minCosine,
                report.countBelow(minCosine));
        out.flush();
        return report.countBelow(minCosine) == 0 ? 0 : 1;
    }
}
