package io.intentstream.cli;

import io.intentstream.trainer.data.DataFormat;
import io.intentstream.trainer.data.InputExample;
import io.intentstream.trainer.data.LabelledPairs;
import io.intentstream.trainer.evaluation.EvaluationResult;
import io.intentstream.trainer.evaluation.TripletEvaluator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Triplet accuracy: how often the anchor is closer to the positive than to the negative. */
@Command(
        name = "triplet",
        mixinStandardHelpOptions = true,
        description = {
            "Accuracy (x100) of cos(anchor, positive) > cos(anchor, negative), as"
                    + " sentence-transformers' TripletEvaluator.",
            "Data: triplets (anchor, positive, negative), or labelled utterances (text, label) from"
                + " which same-label pairs with a negative of another label are drawn with --seed."
        })
final class TripletCommand implements Callable<Integer> {

    @Mixin ModelOptions modelOptions;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "FILE",
            description = "A table with a header; .tsv split on tabs, else CSV.")
    Path data;

    @Option(
            names = "--format",
            defaultValue = "triplets",
            paramLabel = "triplets|labelled",
            description = "How to read --data. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description =
                    "Seed for triplets built from labelled utterances. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--margin",
            defaultValue = "0",
            description = "Required lead of the positive's cosine. Default: ${DEFAULT-VALUE}.")
    double margin;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DataFormat f = DataFormat.fromCliName(format);
        List<InputExample> triplets =
                switch (f) {
                    case TRIPLETS -> f.read(data);
                    case LABELLED -> LabelledPairs.triplets(f.read(data), seed);
                    default ->
                            throw new IllegalArgumentException(
                                    "--format must be triplets or labelled, not " + format);
                };
        TripletEvaluator evaluator = TripletEvaluator.fromExamples("triplet", triplets, margin);
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        EvaluationResult r;
        String version;
        try (ModelOptions.Loaded loaded = modelOptions.load()) {
            version = loaded.model().version();
            r = evaluator.evaluate(loaded.encoder());
        }
        out.printf(
                "model %s  triplets %d  accuracy %.2f  (%.1f s)%n",
                version,
                triplets.size(),
                100 * r.get("cosine_accuracy"),
                (System.nanoTime() - start) / 1e9);
        out.flush();
        return 0;
    }
}
