package io.intentstream.cli;

import io.intentstream.trainer.data.LabelledText;
import io.intentstream.trainer.data.LabelledTextReader;
import io.intentstream.trainer.evaluation.EvaluationResult;
import io.intentstream.trainer.evaluation.IntentEvaluator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Intent accuracy and macro-F1 by nearest neighbour and nearest centroid. */
@Command(
        name = "intent",
        mixinStandardHelpOptions = true,
        description = {
            "Accuracy and macro-F1 of nearest-neighbour and nearest-centroid intent matching.",
            "Catalog and queries are text,label CSVs; a label 'oos' marks an out-of-scope query."
        })
final class IntentCommand implements Callable<Integer> {

    @Mixin ModelOptions modelOptions;

    @Option(
            names = "--catalog",
            required = true,
            paramLabel = "FILE",
            description = "Labelled utterances that define the intents.")
    Path catalog;

    @Option(
            names = "--queries",
            required = true,
            paramLabel = "FILE",
            description = "Labelled queries to classify.")
    Path queries;

    @Option(
            names = "--validation",
            paramLabel = "FILE",
            description =
                    "Labelled queries (with 'oos' rows) on which to fit the out-of-scope threshold"
                            + " first.")
    Path validation;

    @Option(
            names = "--neighbours",
            defaultValue = "1",
            description =
                    "A label's score is the mean cosine of its this-many most similar catalog"
                        + " utterances (as services score with matcher.neighbours, or with what a"
                        + " release names). Default: ${DEFAULT-VALUE}, plain nearest neighbour.")
    int neighbours;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<LabelledText> cat = LabelledTextReader.read(catalog);
        List<LabelledText> q = LabelledTextReader.read(queries);
        PrintWriter out = spec.commandLine().getOut();
        try (ModelOptions.Loaded loaded = modelOptions.load()) {
            Double threshold = null;
            if (validation != null) {
                threshold =
                        new IntentEvaluator(
                                        "validation",
                                        cat,
                                        LabelledTextReader.read(validation),
                                        null,
                                        neighbours)
                                .fitOutOfScopeThreshold(loaded.encoder());
                out.printf("out-of-scope threshold fitted on %s: %.4f%n", validation, threshold);
            }
            long start = System.nanoTime();
            EvaluationResult r =
                    new IntentEvaluator("intent", cat, q, threshold, neighbours)
                            .evaluate(loaded.encoder());
            out.printf(
                    "model %s  catalog %d  queries %d  (%.1f s)%n",
                    loaded.model().version(),
                    cat.size(),
                    q.size(),
                    (System.nanoTime() - start) / 1e9);
            for (String method : List.of("nn", "centroid")) {
                out.printf(
                        "  %-17s accuracy %.2f  macro-F1 %.2f",
                        method.equals("centroid")
                                ? "nearest-centroid"
                                : neighbours == 1
                                        ? "nearest-neighbour"
                                        : "nearest-" + neighbours + "-mean",
                        100 * r.get(method + "_accuracy"),
                        100 * r.get(method + "_macro_f1"));
                if (r.metrics().containsKey(method + "_oos_recall")) {
                    out.printf(
                            "  in-scope accuracy %.2f  oos recall %.2f",
                            100 * r.get(method + "_in_scope_accuracy"),
                            100 * r.get(method + "_oos_recall"));
                }
                out.println();
            }
        }
        out.flush();
        return 0;
    }
}
