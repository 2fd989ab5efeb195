package io.intentstream.trainer.fit;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.intentstream.encoder.BertSentenceBlock;
import io.intentstream.encoder.DjlSentenceEncoder;
import io.intentstream.encoder.EncoderOptions;
import io.intentstream.encoder.Execution;
import io.intentstream.encoder.ModelDirectory;
import io.intentstream.encoder.ModelManifest;
import io.intentstream.encoder.SentenceModel;
import io.intentstream.encoder.SentenceTokenizer;
import io.intentstream.encoder.TokenBatch;
import io.intentstream.trainer.data.InputExample;
import io.intentstream.trainer.evaluation.EvaluationResult;
import io.intentstream.trainer.evaluation.SentenceEvaluator;
import io.intentstream.trainer.losses.SentenceLoss;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fine-tunes a {@link SentenceModel} with a {@link SentenceLoss}, as sentence-transformers' {@code
 * fit}: each step embeds every text column of a batch with the model in training mode (gradients
 * through pooling and normalisation), computes the loss, back-propagates, clips the global gradient
 * norm and takes an {@link AdamW} step on a {@link LinearSchedule}.
 *
 * <p>Every step's arrays live in their own sub-manager and {@link NDScope}, closed when the step
 * ends, so native memory stays flat over an epoch. With an evaluator, the model is evaluated every
 * {@code evalSteps} steps and at each epoch's end; the best model is kept and is the one saved.
 * Checkpoints let a crashed run resume where it stopped: {@link #train} picks up the latest one in
 * the output directory by itself.
 *
 * <p>The weights are updated in place: the model passed in is the trained model afterwards.
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    private static final int MAX_SKIPPED_IN_A_ROW = 5;

    private final SentenceModel model;
    private final SentenceLoss loss;
    private final TrainingArguments args;
    private final SentenceEvaluator evaluator;
    private final List<TrainingListener> listeners;
    private final Checkpoints checkpoints;
    private final ModelDirectory modelDirectory = new ModelDirectory();

    /**
     * @param evaluator scores the model for selection and early stopping, or null for none
     */
    public Trainer(
            SentenceModel model,
            SentenceLoss loss,
            TrainingArguments args,
            SentenceEvaluator evaluator,
            List<TrainingListener> listeners) {
        this.model = model;
        this.loss = loss;
        this.args = args;
        this.evaluator = evaluator;
        this.listeners = List.copyOf(listeners);
        this.checkpoints = args.persistent() ? new Checkpoints(args.outputDir()) : null;
    }

    /**
     * Every trained parameter by name: the model's under their Hugging Face names, then the loss's.
     */
    Map<String, Parameter> trainableParameters() {
        Map<String, Parameter> all = new LinkedHashMap<>(model.block().namedParameters());
        loss.parameters()
                .forEach(
                        (name, p) -> {
                            if (all.putIfAbsent("loss." + name, p) != null) {
                                throw new IllegalStateException(
                                        "duplicate parameter name loss." + name);
                            }
                        });
        return all;
    }

    /**
     * Trains on {@code batches} (resuming from the latest checkpoint in the output directory, if
     * any) and saves the resulting model in the output directory.
     */
    public TrainingResult train(BatchSource batches) throws IOException {
        if (args.persistent()) {
            Files.createDirectories(args.outputDir());
        } else if (evaluator != null) {
            throw new IllegalArgumentException(
                    "a run with an evaluator keeps its best model on disk: set an output"
                            + " directory");
        }
        int stepsPerEpoch = batches.batches(0).size();
        if (stepsPerEpoch == 0) {
            throw new IllegalArgumentException("the training data gives no batches");
        }
        long totalSteps = (long) stepsPerEpoch * args.epochs();
        if (args.maxSteps() > 0) {
            totalSteps = Math.min(totalSteps, args.maxSteps());
        }
        LinearSchedule schedule =
                new LinearSchedule(args.learningRate(), args.warmupFor(totalSteps), totalSteps);
        Map<String, Parameter> parameters = trainableParameters();

        try (AdamW optimizer = new AdamW(parameters, args.weightDecay(), model.manager());
                SentenceTokenizer tokenizer =
                        new SentenceTokenizer(model.tokenizerJson(), model.maxSeqLength());
                // Eager: it evaluates weights that every step changes; a scripted encoder keeps
                // copies.
                DjlSentenceEncoder encoder =
                        new DjlSentenceEncoder(
                                model, EncoderOptions.DEFAULT.withExecution(Execution.EAGER))) {
            TrainerState state = TrainerState.start(model.version());
            var latest =
                    args.persistent() ? checkpoints.latest() : java.util.Optional.<Path>empty();
            if (latest.isPresent()) {
                state = restore(latest.get(), parameters, optimizer);
                LOG.info("resuming from {} at step {}", latest.get(), state.step());
            }
            optimizer.attachGradients();
            final long startStep = state.step();
            final long total = totalSteps;
            listeners.forEach(l -> l.onTrainingStart(startStep, total));

            long start = System.nanoTime();
            long examplesThisRun = 0;
            long stepNanos = 0;
            int skippedInARow = 0;
            boolean stoppedEarly = false;
            Run run = new Run(state);
            epochs:
            for (int epoch = state.epoch(); epoch < args.epochs(); epoch++) {
                List<List<InputExample>> epochBatches = batches.batches(epoch);
                int firstBatch = epoch == state.epoch() ? state.batchesDoneInEpoch() : 0;
                for (int b = firstBatch; b < epochBatches.size(); b++) {
                    if (run.step >= totalSteps) {
                        break epochs;
                    }
                    List<InputExample> batch = epochBatches.get(b);
                    float lr = schedule.at(run.step);
                    long stepStart = System.nanoTime();
                    // Dropout draws from PyTorch's global generator. Seeding it from the run's seed
                    // and
                    // the step makes a run repeatable, and a resumed run continue as if never
                    // stopped.
                    model.manager().getEngine().setRandomSeed(stepSeed(args.seed(), run.step));
                    StepOutcome outcome = trainStep(batch, tokenizer, optimizer, lr);
                    stepNanos += System.nanoTime() - stepStart;
                    run.step++;
                    run.epoch = epoch;
                    run.batchesDone = b + 1;
                    examplesThisRun += batch.size();
                    StepRecord record =
                            new StepRecord(
                                    run.step,
                                    totalSteps,
                                    epoch,
                                    outcome.loss(),
                                    lr,
                                    outcome.gradNorm(),
                                    batch.size(),
                                    System.nanoTime() - start,
                                    run.step - startStep);
                    listeners.forEach(l -> l.onStep(record));
                    if (!Float.isFinite(outcome.loss()) || !Double.isFinite(outcome.gradNorm())) {
                        LOG.warn(
                                "step {} skipped: loss {}, gradient norm {}; not finite: {}",
                                run.step,
                                outcome.loss(),
                                outcome.gradNorm(),
                                optimizer.lastNonFiniteGradients());
                        if (++skippedInARow >= MAX_SKIPPED_IN_A_ROW) {
                            throw new IllegalStateException(
                                    skippedInARow
                                            + " steps in a row had a non-finite loss or "
                                            + "gradient (last: step "
                                            + run.step
                                            + "); lower the learning rate");
                        }
                    } else {
                        skippedInARow = 0;
                    }
                    boolean epochEnd = b == epochBatches.size() - 1 || run.step == totalSteps;
                    if (evaluator != null
                            && (epochEnd
                                    || (args.evalSteps() > 0
                                            && run.step % args.evalSteps() == 0))) {
                        if (evaluate(run, encoder)
                                && args.earlyStoppingPatience() > 0
                                && run.evaluationsWithoutImprovement
                                        >= args.earlyStoppingPatience()) {
                            stoppedEarly = true;
                        }
                    }
                    if (Float.isFinite(outcome.loss())) {
                        run.smoothedLoss =
                                Double.isNaN(run.smoothedLoss)
                                        ? outcome.loss()
                                        : 0.9 * run.smoothedLoss + 0.1 * outcome.loss();
                    }
                    if (args.persistent()
                            && (epochEnd
                                    || stoppedEarly
                                    || (args.checkpointSteps() > 0
                                            && run.step % args.checkpointSteps() == 0))) {
                        checkpoint(run, parameters, optimizer);
                    }
                    if (stoppedEarly) {
                        LOG.info(
                                "stopping early: no improvement in {} evaluations",
                                args.earlyStoppingPatience());
                        break epochs;
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            TrainingResult result =
                    finish(
                            run,
                            run.step - startStep,
                            examplesThisRun,
                            seconds,
                            stepNanos / 1e9,
                            stoppedEarly);
            listeners.forEach(l -> l.onTrainingEnd(result));
            return result;
        }
    }

    /** Mutable progress of the running loop. */
    private static final class Run {
        long step;
        int epoch;
        int batchesDone;
        Double bestMetric;
        long bestStep;
        Map<String, Double> bestMetrics;
        int evaluationsWithoutImprovement;
        double smoothedLoss = Double.NaN;
        final String parentVersion;

        Run(TrainerState s) {
            step = s.step();
            epoch = s.epoch();
            batchesDone = s.batchesDoneInEpoch();
            bestMetric = s.bestMetric();
            bestStep = s.bestStep();
            bestMetrics = s.bestMetrics();
            evaluationsWithoutImprovement = s.evaluationsWithoutImprovement();
            parentVersion = s.parentVersion();
        }

        TrainerState snapshot() {
            return new TrainerState(
                    step,
                    epoch,
                    batchesDone,
                    bestMetric,
                    bestStep,
                    bestMetrics,
                    evaluationsWithoutImprovement,
                    parentVersion);
        }
    }

    private record StepOutcome(float loss, double gradNorm) {}

    /** A generator seed for one step, distinct per step and per run seed. */
    static int stepSeed(long seed, long step) {
        return Long.hashCode(seed * 0x9E3779B97F4A7C15L + step);
    }

    private StepOutcome trainStep(
            List<InputExample> batch, SentenceTokenizer tokenizer, AdamW optimizer, float lr) {
        int columns = batch.get(0).texts().size();
        for (InputExample e : batch) {
            if (e.texts().size() != columns) {
                throw new IllegalArgumentException(
                        "a batch mixes examples of "
                                + columns
                                + " and "
                                + e.texts().size()
                                + " texts: give every example the same columns");
            }
        }
        if (columns < loss.minColumns()) {
            throw new IllegalArgumentException(
                    loss.name()
                            + " needs "
                            + loss.minColumns()
                            + " texts per example, the data has "
                            + columns);
        }
        BertSentenceBlock block = model.block();
        try (NDManager step = model.manager().newSubManager();
                NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            ParameterStore ps = new ParameterStore(step, false);
            float lossValue;
            try (GradientCollector collector =
                    Engine.getEngine(model.manager().getEngine().getEngineName())
                            .newGradientCollector()) {
                NDList embeddings = new NDList(columns);
                for (int c = 0; c < columns; c++) {
                    List<String> texts = new ArrayList<>(batch.size());
                    for (InputExample e : batch) {
                        texts.add(e.text(c));
                    }
                    TokenBatch tokens = TokenBatch.pad(tokenizer.tokenize(texts));
                    embeddings.add(block.forward(ps, tokens.toNDList(step), true).head());
                }
                NDArray labels = loss.needsLabels() ? step.create(labels(batch)) : null;
                NDArray value = loss.forward(embeddings, labels);
                lossValue = value.getFloat();
                if (!Float.isFinite(lossValue)) {
                    return new StepOutcome(
                            lossValue, Double.NaN); // nothing to learn from; weights untouched
                }
                collector.backward(value);
            }
            double norm = optimizer.step(lr, args.maxGradNorm());
            return new StepOutcome(lossValue, norm);
        }
    }

    private float[] labels(List<InputExample> batch) {
        float[] y = new float[batch.size()];
        for (int i = 0; i < y.length; i++) {
            Float label = batch.get(i).label();
            if (label == null) {
                throw new IllegalArgumentException(
                        loss.name()
                                + " needs a label on every example; "
                                + batch.get(i).texts()
                                + " has none");
            }
            y[i] = label;
        }
        return y;
    }

    /**
     * @return true if an evaluation ran and did not improve on the best
     */
    private boolean evaluate(Run run, DjlSentenceEncoder encoder) throws IOException {
        EvaluationResult result = evaluator.evaluate(encoder);
        boolean best = run.bestMetric == null || result.primary() > run.bestMetric;
        if (best) {
            run.bestMetric = result.primary();
            run.bestStep = run.step;
            run.bestMetrics = prefixed(result);
            run.evaluationsWithoutImprovement = 0;
            Checkpoints.deleteRecursively(checkpoints.best());
            save(checkpoints.best(), run.bestMetrics, run.parentVersion);
        } else {
            run.evaluationsWithoutImprovement++;
        }
        int epoch = run.epoch;
        listeners.forEach(l -> l.onEvaluation(run.step, epoch, result, best));
        return !best;
    }

    private Map<String, Double> prefixed(EvaluationResult r) {
        Map<String, Double> out = new LinkedHashMap<>();
        r.metrics().forEach((k, v) -> out.put(evaluator.name() + "." + k, v));
        return out;
    }

    private ModelManifest save(Path dir, Map<String, Double> metrics, String parentVersion)
            throws IOException {
        ModelManifest manifest =
                model.manifest()
                        .withVersion(args.modelVersion(), parentVersion)
                        .withMetrics(metrics);
        ModelManifest written = modelDirectory.save(model, manifest, dir);
        if (!loss.parameters().isEmpty()) {
            saveParameters(loss.parameters(), dir.resolve(Checkpoints.LOSS_FILE));
        }
        return written;
    }

    private void checkpoint(Run run, Map<String, Parameter> parameters, AdamW optimizer)
            throws IOException {
        Path staging = checkpoints.staging(run.step);
        ModelManifest manifest =
                model.manifest().withVersion("checkpoint-" + run.step, run.parentVersion);
        modelDirectory.save(model, manifest, staging.resolve(Checkpoints.MODEL_DIR));
        if (!loss.parameters().isEmpty()) {
            saveParameters(loss.parameters(), staging.resolve(Checkpoints.LOSS_FILE));
        }
        optimizer.save(staging.resolve(Checkpoints.OPTIMIZER_FILE));
        run.snapshot().write(staging);
        Path dir = checkpoints.publish(staging, run.step);
        listeners.forEach(l -> l.onCheckpoint(run.step, dir));
    }

    private TrainerState restore(
            Path checkpoint, Map<String, Parameter> parameters, AdamW optimizer)
            throws IOException {
        Map<String, Parameter> modelParameters = model.block().namedParameters();
        copyInto(
                modelParameters,
                checkpoint.resolve(Checkpoints.MODEL_DIR).resolve(ModelDirectory.WEIGHTS_FILE),
                "");
        if (!loss.parameters().isEmpty()) {
            copyInto(loss.parameters(), checkpoint.resolve(Checkpoints.LOSS_FILE), "");
        }
        TrainerState state = TrainerState.read(checkpoint);
        optimizer.load(
                checkpoint.resolve(Checkpoints.OPTIMIZER_FILE),
                state.step()); // one update per step
        return state;
    }

    /** Overwrites parameter values in place with the tensors of a safetensors file. */
    static void copyInto(Map<String, Parameter> parameters, Path file, String prefix)
            throws IOException {
        try (NDManager temp = NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch");
                InputStream in = Files.newInputStream(file)) {
            Map<String, NDArray> byName = new LinkedHashMap<>();
            for (NDArray a : NDList.decode(temp, in)) {
                byName.put(a.getName(), a);
            }
            for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
                NDArray source = byName.get(prefix + e.getKey());
                NDArray target = e.getValue().getArray();
                if (source == null || !source.getShape().equals(target.getShape())) {
                    throw new IOException(
                            file + ": tensor " + e.getKey() + " is missing or mis-shaped");
                }
                // In place (gradients off), so the parameter keeps its array and gradient buffer.
                target.muli(0f)
                        .addi(
                                source.toDevice(target.getDevice(), false)
                                        .toType(target.getDataType(), false));
            }
        }
    }

    private static void saveParameters(Map<String, Parameter> parameters, Path file)
            throws IOException {
        try (NDManager temp = NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch")) {
            NDList list = new NDList();
            for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
                NDArray copy = e.getValue().getArray().toDevice(ai.djl.Device.cpu(), true);
                copy.attach(temp);
                copy.setName(e.getKey());
                list.add(copy);
            }
            Files.write(file, list.encode(NDList.Encoding.SAFETENSORS));
        }
    }

    private TrainingResult finish(
            Run run,
            long stepsThisRun,
            long examples,
            double seconds,
            double stepSeconds,
            boolean stoppedEarly)
            throws IOException {
        Path out = args.outputDir();
        Map<String, Double> metrics;
        if (!args.persistent()) {
            return new TrainingResult(
                    null,
                    run.step,
                    stepsThisRun,
                    examples,
                    seconds,
                    stepSeconds,
                    Map.of(),
                    stoppedEarly,
                    run.smoothedLoss);
        }
        if (run.bestMetric != null && Files.isDirectory(checkpoints.best())) {
            Checkpoints.copyDirectory(checkpoints.best(), out);
            metrics = run.bestMetrics;
            LOG.info(
                    "saved the best model (step {}, {} {}) to {}",
                    run.bestStep,
                    evaluator.name(),
                    run.bestMetric,
                    out);
        } else {
            metrics = Map.of();
            save(out, metrics, run.parentVersion);
            LOG.info("saved the model after step {} to {}", run.step, out);
        }
        return new TrainingResult(
                out,
                run.step,
                stepsThisRun,
                examples,
                seconds,
                stepSeconds,
                metrics,
                stoppedEarly,
                run.smoothedLoss);
    }
}
