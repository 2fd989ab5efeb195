package io.intentstream.cli;

import io.intentstream.trainer.data.DataFormat;
import io.intentstream.trainer.data.ExampleReader;
import io.intentstream.trainer.data.InputExample;
import io.intentstream.trainer.evaluation.BinaryClassificationEvaluator;
import io.intentstream.trainer.evaluation.EvaluationResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Accuracy, F1 and average precision of cosine similarity as a same/different classifier. */
@Command(
        name = "binary",
        mixinStandardHelpOptions = true,
        description = {
            "Accuracy and F1 at the best cosine threshold, average precision and Matthews"
                    + " correlation (x100) of similar (1) versus dissimilar (0) sentence pairs, as"
                    + " sentence-transformers' BinaryClassificationEvaluator.",
            "Data: pairs-binary (sentence1, sentence2, label 0/1), or with --min-positive-score a"
                + " scored pairs file (sentence1, sentence2, score) whose pairs scoring at least"
                + " that much are the positives."
        })
final class BinaryCommand implements Callable<Integer> {

    @Mixin ModelOptions modelOptions;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "FILE",
            description = "Pairs with a header; .tsv split on tabs, else CSV.")
    Path data;

    @Option(
            names = "--min-positive-score",
            paramLabel = "SCORE",
            description =
                    "Read scored pairs and label a pair 1 when its raw score is at least SCORE"
                            + " (e.g. 4 on STS-B's 0-5 scale).")
    Float minPositiveScore;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<InputExample> pairs =
                minPositiveScore == null
                        ? DataFormat.PAIRS_BINARY.read(data)
                        : ExampleReader.pairsWithScore(data, 1f).stream()
                                .map(
                                        e ->
                                                InputExample.pair(
                                                        e.text(0),
                                                        e.text(1),
                                                        e.label() >= minPositiveScore ? 1 : 0))
                                .toList();
        long positives = pairs.stream().filter(e -> e.label() == 1f).count();
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        EvaluationResult r;
        String version;
        try (ModelOptions.Loaded loaded = modelOptions.load()) {
            version = loaded.model().version();
            r =
                    BinaryClassificationEvaluator.fromExamples("binary", pairs)
                            .evaluate(loaded.encoder());
        }
        out.printf(
                "model %s  pairs %d (%d positive)  (%.1f s)%n",
                version, pairs.size(), positives, (System.nanoTime() - start) / 1e9);
        out.printf(
                "  accuracy %.2f (threshold %.4f)  f1 %.2f (threshold %.4f, precision %.2f, recall"
                        + " %.2f)  ap %.2f  mcc %.2f%n",
                100 * r.get("cosine_accuracy"),
                r.get("cosine_accuracy_threshold"),
                100 * r.get("cosine_f1"),
                r.get("cosine_f1_threshold"),
                100 * r.get("cosine_precision"),
                100 * r.get("cosine_recall"),
                100 * r.get("cosine_ap"),
                100 * r.get("cosine_mcc"));
        out.flush();
        return 0;
    }
}
