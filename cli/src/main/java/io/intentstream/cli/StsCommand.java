package io.intentstream.cli;

import io.intentstream.trainer.data.StsReader;
import io.intentstream.trainer.evaluation.EmbeddingSimilarityEvaluator;
import io.intentstream.trainer.evaluation.EvaluationResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Spearman and Pearson correlation of cosine similarity with STS gold scores. */
@Command(
        name = "sts",
        mixinStandardHelpOptions = true,
        description =
                "Spearman and Pearson (x100) of cosine similarity against the gold scores of an STS"
                        + " TSV (sentence1, sentence2, score).")
final class StsCommand implements Callable<Integer> {

    @Mixin ModelOptions modelOptions;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "FILE",
            description = "STS TSV with a header, e.g. stsb/test.tsv.")
    Path data;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var examples = StsReader.read(data, true);
        long start = System.nanoTime();
        EvaluationResult r;
        String version;
        try (ModelOptions.Loaded loaded = modelOptions.load()) {
            version = loaded.model().version();
            r =
                    EmbeddingSimilarityEvaluator.fromExamples("sts", examples)
                            .evaluate(loaded.encoder());
        }
        spec.commandLine()
                .getOut()
                .printf(
                        "model %s  pairs %d  spearman %.2f  pearson %.2f  (%.1f s)%n",
                        version,
                        examples.size(),
                        100 * r.get("spearman_cosine"),
                        100 * r.get("pearson_cosine"),
                        (System.nanoTime() - start) / 1e9);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
