package io.intentstream.cli;

import io.intentstream.bench.ProcessMemory;
import io.intentstream.encoder.DeviceChoice;
import io.intentstream.encoder.DjlSentenceEncoder;
import io.intentstream.encoder.ModelLoader;
import io.intentstream.encoder.SentenceModel;
import io.intentstream.trainer.data.DataFormat;
import io.intentstream.trainer.data.ExampleReader;
import io.intentstream.trainer.data.InputExample;
import io.intentstream.trainer.data.LabelledText;
import io.intentstream.trainer.data.LabelledTextReader;
import io.intentstream.trainer.data.NliLabel;
import io.intentstream.trainer.data.RetrievalData;
import io.intentstream.trainer.evaluation.BinaryClassificationEvaluator;
import io.intentstream.trainer.evaluation.EmbeddingSimilarityEvaluator;
import io.intentstream.trainer.evaluation.InformationRetrievalEvaluator;
import io.intentstream.trainer.evaluation.IntentEvaluator;
import io.intentstream.trainer.evaluation.SentenceEvaluator;
import io.intentstream.trainer.evaluation.TripletEvaluator;
import io.intentstream.trainer.fit.BatchSource;
import io.intentstream.trainer.fit.FitRecipe;
import io.intentstream.trainer.fit.JsonLinesTrainingLog;
import io.intentstream.trainer.fit.ProgressReporter;
import io.intentstream.trainer.fit.Trainer;
import io.intentstream.trainer.fit.TrainingArguments;
import io.intentstream.trainer.fit.TrainingListener;
import io.intentstream.trainer.fit.TrainingResult;
import io.intentstream.trainer.losses.LossName;
import io.intentstream.trainer.losses.Losses;
import io.intentstream.trainer.losses.SentenceLoss;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Fine-tunes a model with a sentence-transformers loss and saves it in the sentence-transformers
 * layout.
 */
@Command(
        name = "fit",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Fine-tunes a sentence-transformers model, as sentence-transformers' fit, and saves it"
                    + " to --output.",
            "Rerun the same command after a crash to resume from the last checkpoint in --output."
        })
final class FitCommand implements Callable<Integer> {

    enum EvaluatorName {
        sts,
        binary,
        triplet,
        intent,
        ir
    }

    @Option(
            names = "--model",
            defaultValue = "default",
            paramLabel = "MODEL",
            description =
                    "'default' (all-MiniLM-L6-v2) or a sentence-transformers model directory."
                            + " Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(
            names = "--device",
            defaultValue = "auto",
            paramLabel = "auto|cpu|gpu",
            description = "Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(
            names = "--train",
            required = true,
            paramLabel = "FILE",
            description = "Training data (CSV, or TSV if named *.tsv, with a header).")
    Path train;

    @Option(
            names = "--format",
            required = true,
            paramLabel = "FORMAT",
            converter = FormatConverter.class,
            description =
                    "pairs-score (sentence1,sentence2,score), pairs-binary"
                        + " (sentence1,sentence2,label 0/1), triplets (anchor,positive,negative),"
                        + " anchor-positive (anchor,positive[,negative]), nli"
                        + " (premise,hypothesis,label), labelled (text,label → same-label pairs).")
    DataFormat format;

    @Option(
            names = "--loss",
            required = true,
            paramLabel = "NAME",
            description = "One of: ${COMPLETION-CANDIDATES}.")
    LossName lossName;

    @Option(
            names = "--matryoshka",
            paramLabel = "DIMS",
            split = ",",
            description =
                    "Wrap the loss in MatryoshkaLoss over these leading dimensions, e.g."
                            + " 384,256,128,64.")
    List<Integer> matryoshkaDims;

    @Option(
            names = "--scale",
            description =
                    "Scale of MultipleNegatives(Symmetric)RankingLoss / CoSENTLoss. Default: 20.")
    Float scale;

    @Option(
            names = "--margin",
            description =
                    "Margin of ContrastiveLoss / OnlineContrastiveLoss (0.5) / TripletLoss (5).")
    Float margin;

    @Option(
            names = "--score-max",
            defaultValue = "5",
            description =
                    "pairs-score: divide scores by this (STS 0–5 → 0–1). Default:"
                            + " ${DEFAULT-VALUE}.")
    float scoreMax;

    @Option(
            names = "--dev",
            paramLabel = "FILE",
            description = "Development data for model selection (see --evaluator).")
    Path dev;

    @Option(
            names = "--evaluator",
            paramLabel = "NAME",
            description =
                    "sts (dev: sentence1,sentence2,score; Spearman of cosine), binary (dev:"
                        + " pairs-binary; average precision), triplet (dev: triplets; accuracy),"
                        + " intent (dev: text,label queries against the training utterances;"
                        + " nearest-neighbour accuracy) or ir (the same files; MRR@10). Default:"
                        + " sts, or intent for labelled.")
    EvaluatorName evaluatorName;

    @Option(
            names = "--output",
            required = true,
            paramLabel = "DIR",
            description = "Where the model, checkpoints and training log go.")
    Path output;

    @Option(
            names = "--version",
            paramLabel = "VERSION",
            description =
                    "Version recorded in the saved manifest. Default: the output folder's name.")
    String version;

    @Option(names = "--epochs", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(
            names = "--batch-size",
            defaultValue = "16",
            description = "Examples per step. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(
            names = "--lr",
            defaultValue = "2e-5",
            description = "Peak learning rate (AdamW). Default: ${DEFAULT-VALUE}.")
    float learningRate;

    @Option(
            names = "--weight-decay",
            defaultValue = "0.01",
            description = "Not applied to biases and LayerNorm. Default: ${DEFAULT-VALUE}.")
    float weightDecay;

    @Option(
            names = "--warmup",
            defaultValue = "0.1",
            paramLabel = "RATIO|STEPS",
            description =
                    "Linear warm-up: a ratio of all steps if below 1, else a number of steps."
                            + " Default: ${DEFAULT-VALUE}.")
    float warmup;

    @Option(
            names = "--max-grad-norm",
            defaultValue = "1",
            description = "Global gradient-norm clipping, 0 for none. Default: ${DEFAULT-VALUE}.")
    float maxGradNorm;

    @Option(
            names = "--eval-steps",
            defaultValue = "0",
            description =
                    "Evaluate every N steps (and at each epoch's end). Default: epoch end only.")
    int evalSteps;

    @Option(
            names = "--checkpoint-steps",
            defaultValue = "500",
            description =
                    "Checkpoint every N steps (and at each epoch's end). Default:"
                            + " ${DEFAULT-VALUE}.")
    int checkpointSteps;

    @Option(
            names = "--logging-steps",
            defaultValue = "50",
            description = "Steps per training-log line. Default: ${DEFAULT-VALUE}.")
    int loggingSteps;

    @Option(
            names = "--early-stopping-patience",
            defaultValue = "0",
            description =
                    "Stop after N evaluations without improvement, 0 never. Default:"
                            + " ${DEFAULT-VALUE}.")
    int patience;

    @Option(
            names = "--max-steps",
            defaultValue = "-1",
            description = "Stop after N steps in all (e.g. less than an epoch). Default: no limit.")
    long maxSteps;

    @Option(
            names = "--allow-duplicate-labels",
            description =
                    "labelled: let a label occur more than once per batch. By default each label"
                        + " occurs at most once, since MultipleNegativesRankingLoss would take the"
                        + " other same-label examples as negatives.")
    boolean allowDuplicateLabels;

    @Option(
            names = "--hard-negatives",
            description =
                    "labelled data with MultipleNegatives(Symmetric)RankingLoss: add to each pair"
                        + " the utterance of another label that the starting model finds closest to"
                        + " the anchor (sentence-transformers' mine_hard_negatives).")
    boolean hardNegatives;

    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<DataFormat> {
        @Override
        public DataFormat convert(String value) {
            return DataFormat.fromCliName(value.strip());
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (hardNegatives && !FitRecipe.minesHardNegatives(format, lossName)) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "--hard-negatives needs --format labelled and --loss"
                        + " MultipleNegativesRankingLoss or MultipleNegativesSymmetricRankingLoss");
        }
        List<InputExample> examples = examples();
        TrainingArguments args = arguments();
        ProcessMemory.resetPeak();
        try (SentenceModel m = ModelLoader.load(model, DeviceChoice.parse(device).resolve());
                JsonLinesTrainingLog log =
                        new JsonLinesTrainingLog(
                                output.resolve(JsonLinesTrainingLog.FILE_NAME),
                                args.loggingSteps())) {
            if (hardNegatives) {
                long start = System.nanoTime();
                try (DjlSentenceEncoder encoder = new DjlSentenceEncoder(m)) {
                    examples = FitRecipe.withHardNegatives(examples, train, encoder);
                }
                out.printf(
                        Locale.ROOT,
                        "mined a hard negative for each pair with the starting model (%.1f s)%n",
                        (System.nanoTime() - start) / 1e9);
            }
            BatchSource batches = batches(examples);
            out.printf(
                    "training on %d examples from %s (%s), %s, %d epoch(s) of %d steps%n",
                    examples.size(), train, format, lossName, epochs, batches.batches(0).size());
            out.flush();
            SentenceLoss loss = loss(m);
            SentenceEvaluator evaluator = evaluator();
            List<TrainingListener> listeners =
                    List.of(log, ProgressReporter.forEnvironment(args.loggingSteps()));
            TrainingResult r = new Trainer(m, loss, args, evaluator, listeners).train(batches);
            out.printf(
                    Locale.ROOT,
                    "trained %d steps (%d this run) in %.1f s (%.1f s in steps): %.1f examples/s,"
                            + " peak RSS %.0f MiB%n",
                    r.steps(),
                    r.stepsThisRun(),
                    r.trainSeconds(),
                    r.stepSeconds(),
                    r.examplesPerSecond(),
                    ProcessMemory.peakRssMiB());
            for (Map.Entry<String, Double> e : new TreeMap<>(r.metrics()).entrySet()) {
                out.printf(Locale.ROOT, "  %s %.4f%n", e.getKey(), e.getValue());
            }
            out.printf("saved to %s%s%n", r.modelDir(), r.stoppedEarly() ? " (stopped early)" : "");
        }
        out.flush();
        return 0;
    }

    /** The training file as examples; see {@link FitRecipe#examples}. */
    List<InputExample> examples() throws java.io.IOException {
        return FitRecipe.examples(format, train, lossName, scoreMax, seed);
    }

    /** The batches for the chosen loss; see {@link FitRecipe#batches}. */
    BatchSource batches(List<InputExample> examples) {
        return FitRecipe.batches(
                examples,
                lossName,
                batchSize,
                format == DataFormat.LABELLED && !allowDuplicateLabels,
                seed);
    }

    private static InformationRetrievalEvaluator retrieval(RetrievalData data) {
        return new InformationRetrievalEvaluator(
                "ir-dev", data.queries(), data.corpus(), data.relevant());
    }

    TrainingArguments arguments() {
        TrainingArguments.Builder b =
                TrainingArguments.builder()
                        .setOutputDir(output)
                        .optEpochs(epochs)
                        .optBatchSize(batchSize)
                        .optLearningRate(learningRate)
                        .optWeightDecay(weightDecay)
                        .optMaxGradNorm(maxGradNorm)
                        .optEvalSteps(evalSteps)
                        .optCheckpointSteps(checkpointSteps)
                        .optLoggingSteps(loggingSteps)
                        .optEarlyStoppingPatience(patience)
                        .optMaxSteps(maxSteps)
                        .optSeed(seed)
                        .optModelVersion(version);
        if (warmup < 1) {
            b.optWarmupRatio(warmup);
        } else {
            b.optWarmupSteps(Math.round(warmup));
        }
        return b.build();
    }

    private SentenceLoss loss(SentenceModel m) {
        int softmaxLabels = format == DataFormat.NLI ? NliLabel.values().length : 2;
        return Losses.byName(
                lossName,
                m,
                new Losses.Options(scale, margin, matryoshkaDims, softmaxLabels, seed));
    }

    private SentenceEvaluator evaluator() throws java.io.IOException {
        if (dev == null) {
            if (evaluatorName != null) {
                throw new IllegalArgumentException("--evaluator needs --dev FILE");
            }
            return null;
        }
        EvaluatorName name =
                evaluatorName != null
                        ? evaluatorName
                        : format == DataFormat.LABELLED ? EvaluatorName.intent : EvaluatorName.sts;
        return switch (name) {
            case sts ->
                    EmbeddingSimilarityEvaluator.fromExamples(
                            "sts-dev", ExampleReader.pairsWithScore(dev, scoreMax));
            case binary ->
                    BinaryClassificationEvaluator.fromExamples(
                            "binary-dev", DataFormat.PAIRS_BINARY.read(dev));
            case triplet ->
                    TripletEvaluator.fromExamples("triplet-dev", DataFormat.TRIPLETS.read(dev));
            case intent, ir -> {
                if (format != DataFormat.LABELLED) {
                    throw new IllegalArgumentException(
                            "the "
                                    + name
                                    + " evaluator needs --format labelled training data as its"
                                    + " catalog");
                }
                List<LabelledText> catalog = LabelledTextReader.read(train);
                List<LabelledText> queries = LabelledTextReader.read(dev);
                yield name == EvaluatorName.intent
                        ? new IntentEvaluator("intent-dev", catalog, queries, null)
                        : retrieval(RetrievalData.fromLabelled(queries, catalog));
            }
        };
    }
}
