package io.intentstream.cli;

import io.intentstream.trainer.data.LabelledTextReader;
import io.intentstream.trainer.data.RetrievalData;
import io.intentstream.trainer.evaluation.EvaluationResult;
import io.intentstream.trainer.evaluation.InformationRetrievalEvaluator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Retrieval metrics of cosine similarity over a corpus. */
@Command(
        name = "ir",
        mixinStandardHelpOptions = true,
        description = {
            "MRR@10, NDCG@10, MAP@100, accuracy@k, precision@k and recall@k (k = 1, 3, 5, 10) of"
                    + " ranking a corpus by cosine similarity, as sentence-transformers'"
                    + " InformationRetrievalEvaluator.",
            "With --qrels: queries and corpus are tables with columns id, text, and qrels has"
                    + " columns query_id, corpus_id (optional score; rows scoring 0 or less are not"
                    + " relevant).",
            "Without: queries and corpus are text,label tables, and a document is relevant to a"
                    + " query with the same label."
        })
final class IrCommand implements Callable<Integer> {

    @Mixin ModelOptions modelOptions;

    @Option(names = "--queries", required = true, paramLabel = "FILE", description = "The queries.")
    Path queries;

    @Option(
            names = "--corpus",
            required = true,
            paramLabel = "FILE",
            description = "The documents to rank.")
    Path corpus;

    @Option(
            names = "--qrels",
            paramLabel = "FILE",
            description = "Relevance judgements: query_id, corpus_id[, score].")
    Path qrels;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        RetrievalData data =
                qrels != null
                        ? RetrievalData.read(queries, corpus, qrels)
                        : RetrievalData.fromLabelled(
                                LabelledTextReader.read(queries), LabelledTextReader.read(corpus));
        var evaluator =
                new InformationRetrievalEvaluator(
                        "ir", data.queries(), data.corpus(), data.relevant());
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        EvaluationResult r;
        String version;
        try (ModelOptions.Loaded loaded = modelOptions.load()) {
            version = loaded.model().version();
            r = evaluator.evaluate(loaded.encoder());
        }
        out.printf(
                "model %s  queries %d (with a relevant document)  corpus %d  (%.1f s)%n",
                version,
                evaluator.queryCount(),
                evaluator.corpusSize(),
                (System.nanoTime() - start) / 1e9);
        out.printf(
                "  mrr@10 %.2f  ndcg@10 %.2f  map@100 %.2f%n",
                100 * r.get("cosine_mrr@10"),
                100 * r.get("cosine_ndcg@10"),
                100 * r.get("cosine_map@100"));
        for (String metric : new String[] {"accuracy", "precision", "recall"}) {
            out.printf(
                    "  %-9s @1 %.2f  @3 %.2f  @5 %.2f  @10 %.2f%n",
                    metric,
                    100 * r.get("cosine_" + metric + "@1"),
                    100 * r.get("cosine_" + metric + "@3"),
                    100 * r.get("cosine_" + metric + "@5"),
                    100 * r.get("cosine_" + metric + "@10"));
        }
        out.flush();
        return 0;
    }
}
