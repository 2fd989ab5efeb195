package io.intentstream.trainer.job;

import io.intentstream.avro.ModelRelease;
import io.intentstream.encoder.DeviceChoice;
import io.intentstream.encoder.DjlSentenceEncoder;
import io.intentstream.encoder.ModelLoader;
import io.intentstream.encoder.ModelManifest;
import io.intentstream.encoder.SentenceModel;
import io.intentstream.trainer.config.TrainerConfig;
import io.intentstream.trainer.data.StsReader;
import io.intentstream.trainer.data.batching.NoDuplicatesBatchSampler;
import io.intentstream.trainer.evaluation.EmbeddingSimilarityEvaluator;
import io.intentstream.trainer.fit.BatchSource;
import io.intentstream.trainer.fit.ProgressReporter;
import io.intentstream.trainer.fit.Trainer;
import io.intentstream.trainer.fit.TrainingArguments;
import io.intentstream.trainer.fit.TrainingListener;
import io.intentstream.trainer.fit.TrainingResult;
import io.intentstream.trainer.job.TrainingSetStore.StoredExample;
import io.intentstream.trainer.losses.Losses;
import io.intentstream.trainer.losses.SentenceLoss;
import io.intentstream.trainer.promote.NearestIntents;
import io.intentstream.trainer.promote.ReleaseGate;
import io.intentstream.trainer.promote.ThresholdFitting;
import io.intentstream.trainer.publish.ModelStore;
import io.intentstream.trainer.publish.ReleaseExemplars;
import io.intentstream.trainer.publish.ReleaseLog;
import io.intentstream.trainer.publish.ReleasePublisher;
import io.intentstream.trainer.publish.ReleaseRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer process: keeps the training set up to date from Kafka and, when a run is due (an
 * interval passed with new examples, or enough new examples arrived), fine-tunes the current
 * release on new and replayed examples, gates the candidate against the current release, and
 * releases it through the model store and the models topic when it is better.
 *
 * <p>A crash at any point leaves no half release: a model directory appears in the store only whole
 * (atomic rename), the catalog vectors and the release announcement commit in one Kafka
 * transaction, and on start a stored model that was never announced is discarded. A run that
 * crashed starts over cleanly on the next start.
 */
public final class TrainerJob implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TrainerJob.class);

    private final TrainerConfig config;
    private final TrainingSetStore store;
    private final ExampleIngestor ingestor;
    private final ModelStore models;
    private final ReleasePublisher publisher;
    private final ReleaseGate gate;
    private final Clock clock;
    private final RetryBackoff backoff;
    private long lastRunMillis;
    // Extra listener for each fine-tuning run (e.g. TrainerMetricsFile); a no-op by default.
    private final TrainingListener progress;

    public TrainerJob(TrainerConfig config) throws IOException {
        this(config, new TrainingListener() {}, () -> {}, Clock.systemUTC());
    }

    /**
     * @param progress also told of every fine-tuning run's progress
     * @param beforeCommit runs inside each release's transaction just before its commit (see {@link
     *     ReleasePublisher})
     * @param clock schedules runs and dates their records
     */
    public TrainerJob(
            TrainerConfig config, TrainingListener progress, Runnable beforeCommit, Clock clock)
            throws IOException {
        this.config = config;
        this.clock = clock;
        this.backoff = new RetryBackoff(clock, Duration.ofSeconds(10), Duration.ofMinutes(10));
        this.lastRunMillis = clock.millis();
        this.progress = progress;
        this.models = new ModelStore(config.modelStoreDir());
        try {
            this.store = new TrainingSetStore(config.stateDir().resolve("training-set"));
        } catch (RuntimeException e) {
            models.close();
            throw e;
        }
        try {
            this.ingestor =
                    new ExampleIngestor(
                            config.clientConfig(),
                            config.groupId(),
                            config.topicPrefix(),
                            store,
                            Duration.ofMillis(config.pollTimeoutMs()));
            this.publisher =
                    new ReleasePublisher(
                            config.clientConfig(),
                            config.topicPrefix(),
                            config.groupId() + "-publisher",
                            beforeCommit);
        } catch (RuntimeException e) {
            store.close();
            models.close();
            throw e;
        }
        EmbeddingSimilarityEvaluator guard =
                config.gateGuardFile().isBlank()
                        ? null
                        : EmbeddingSimilarityEvaluator.fromExamples(
                                "guard", StsReader.read(Path.of(config.gateGuardFile()), true));
        this.gate =
                new ReleaseGate(config.gateMinImprovement(), config.gateGuardTolerance(), guard);
        reconcile();
    }

    /**
     * Runs a training run if one is due and no failed run is waiting out its back-off. A run that
     * throws (it could not publish, the disk is full) is logged and tried again after a back-off
     * that doubles with each failure in a row, up to ten minutes; its examples stay new.
     *
     * @return the run's record, or empty when no run took place or it had nothing to train on
     */
    public Optional<ReleaseRecord> runIfDue() {
        if (!backoff.ready() || !due(clock.millis())) {
            return Optional.empty();
        }
        try {
            Optional<ReleaseRecord> record = runOnce();
            backoff.succeeded();
            return record;
        } catch (IOException | RuntimeException e) {
            Duration wait = backoff.failed();
            log.error(
                    "Training run failed ({} in a row); trying again in {} s",
                    backoff.failuresInARow(),
                    wait.toSeconds(),
                    e);
            return Optional.empty();
        }
    }

    /** Polls Kafka once; returns the number of new examples stored. */
    public int ingest() {
        return ingestor.pollOnce();
    }

    public TrainingSetStore trainingSet() {
        return store;
    }

    public ModelStore modelStore() {
        return models;
    }

    /**
     * Whether a run is due at {@code now}: never before the catalog has been read (a run without it
     * would have nothing to train on and would use up the new examples).
     */
    public boolean due(long now) {
        long fresh = store.newExamples();
        if (fresh == 0 || !ingestor.catalogCaughtUp() || store.catalog().isEmpty()) {
            return false;
        }
        boolean enough =
                config.scheduleMinNewExamples() > 0 && fresh >= config.scheduleMinNewExamples();
        boolean interval =
                config.scheduleIntervalMs() > 0
                        && now - lastRunMillis >= config.scheduleIntervalMs();
        return enough || interval;
    }

    /**
     * One training run on what is stored now: the run's data and the current release's gate
     * metrics, then a candidate, then the gate's decision, then the release or the rejection.
     *
     * @return the run's record (released or rejected), or empty when there was nothing to train on
     */
    public Optional<ReleaseRecord> runOnce() throws IOException {
        lastRunMillis = clock.millis();
        long upTo = store.nextSequence();
        List<StoredExample> examples = store.examples();
        Optional<ModelRelease> current =
                ReleaseLog.read(config.clientConfig(), config.topicPrefix()).current();
        String version = models.nextVersion();
        long start = clock.millis();
        try (SentenceModel model = loadCurrent(current)) {
            Optional<RunPlan> planned = plan(model, examples, current, version, upTo);
            if (planned.isEmpty()) {
                return Optional.empty();
            }
            RunPlan plan = planned.get();
            ReleaseRecord.Builder record = ReleaseRecord.builder(version, plan.parent());
            TrainingResult result;
            try {
                result = train(model, plan.data(), version);
            } catch (IllegalStateException diverged) {
                // A diverged run (e.g. a non-finite loss) is a rejected candidate, not a reason to
                // stop the job.
                return Optional.of(
                        finish(
                                record.createdAt(clock.millis())
                                        .rejected("training failed: " + diverged.getMessage()),
                                upTo,
                                plan.parent()));
            }
            try (DjlSentenceEncoder candidate = new DjlSentenceEncoder(model);
                    MemoizingEncoder encoder = new MemoizingEncoder(candidate)) {
                Map<String, Double> candidateMetrics =
                        gate.evaluate(
                                encoder,
                                plan.data().matchingTexts(),
                                plan.data().heldOut(),
                                config.neighbours());
                ReleaseGate.Decision decision =
                        gate.decide(plan.currentMetrics(), candidateMetrics);
                Map<String, Double> metrics = new LinkedHashMap<>(candidateMetrics);
                plan.currentMetrics().forEach((k, v) -> metrics.put("current." + k, v));
                record.metrics(metrics)
                        .training(figures(plan.data(), result, (clock.millis() - start) / 1e3))
                        .createdAt(clock.millis());
                ReleaseRecord outcome =
                        decision.promote()
                                ? release(
                                        model,
                                        encoder,
                                        plan,
                                        version,
                                        metrics,
                                        record,
                                        decision.reason())
                                : record.rejected(decision.reason());
                return Optional.of(finish(outcome, upTo, plan.parent()));
            }
        }
    }

    /**
     * What a run trains and is judged on.
     *
     * @param parent the version the candidate is trained from
     * @param data training examples, held-out slice, exemplars and the texts to match against
     * @param currentMetrics the gate's metrics of the release in service
     */
    private record RunPlan(String parent, TrainingData data, Map<String, Double> currentMetrics) {}

    /**
     * The run's data and the current release's gate metrics; empty when there is nothing to train
     * on.
     */
    private Optional<RunPlan> plan(
            SentenceModel model,
            List<StoredExample> examples,
            Optional<ModelRelease> current,
            String version,
            long upTo) {
        String parent = model.version();
        // The current model embeds the catalog for mining and again for the gate: once is enough.
        try (DjlSentenceEncoder served = new DjlSentenceEncoder(model);
                MemoizingEncoder encoder = new MemoizingEncoder(served)) {
            Map<String, List<String>> nearest =
                    NearestIntents.of(TrainingData.utterances(store.catalog()), encoder, 3);
            TrainingData data =
                    TrainingData.build(
                            examples,
                            store.catalog(),
                            store.trainedSequence(),
                            TrainingData.confusers(examples, nearest),
                            new TrainingData.Settings(
                                    config.holdoutFraction(),
                                    config.holdoutMaxExamples(),
                                    config.replayMaxExamples(),
                                    config.hardNegatives(),
                                    config.exemplarsPerIntent(),
                                    config.seed()));
            if (data.catalog().isEmpty()) {
                // The examples stay new: they are trained on once the catalog arrives.
                log.info("No catalog yet; {} examples wait for it", examples.size());
                return Optional.empty();
            }
            if (data.training().isEmpty()) {
                log.info(
                        "Nothing to train on yet ({} examples stored, catalog of {} intents); they"
                                + " count as trained",
                        examples.size(),
                        data.catalog().size());
                store.markTrained(upTo);
                return Optional.empty();
            }
            log.info(
                    "Run for {}: {} training examples ({} new, {} replayed), {} held out, {} texts"
                            + " to match against, from model {}",
                    version,
                    data.training().size(),
                    data.newExamples(),
                    data.replayed(),
                    data.heldOut().size(),
                    data.matchingTexts().size(),
                    parent);
            // Releases are compared as served: the current model with its own exemplars, the
            // candidate with the ones it would ship, so that what traffic taught counts either way.
            Map<String, Double> currentMetrics =
                    gate.evaluate(
                            encoder,
                            data.matchingTexts(servedExemplars(current)),
                            data.heldOut(),
                            servedNeighbours(current));
            return Optional.of(new RunPlan(parent, data, currentMetrics));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Double> figures(
            TrainingData data, TrainingResult result, double runSeconds) {
        Map<String, Double> training = new LinkedHashMap<>();
        training.put("examples", (double) data.training().size());
        training.put("new_examples", (double) data.newExamples());
        training.put("replayed", (double) data.replayed());
        training.put(
                "exemplars",
                (double) data.exemplars().values().stream().mapToInt(List::size).sum());
        training.put("steps", (double) result.steps());
        training.put("loss", result.smoothedLoss());
        training.put("train_seconds", result.trainSeconds());
        training.put("run_seconds", runSeconds);
        return training;
    }

    /** Stores the candidate, fits its thresholds and announces it. */
    private ReleaseRecord release(
            SentenceModel model,
            MemoizingEncoder encoder,
            RunPlan plan,
            String version,
            Map<String, Double> metrics,
            ReleaseRecord.Builder record,
            String reason)
            throws IOException {
        TrainingData data = plan.data();
        Map<String, Double> thresholds =
                ThresholdFitting.fit(
                        data.matchingTexts(), data.heldOut(), encoder, config.neighbours());
        ModelManifest manifest =
                models.store(
                        model,
                        model.manifest().withVersion(version, plan.parent()).withMetrics(metrics),
                        data.exemplars());
        ReleaseRecord released =
                record.sequence(models.nextSequence())
                        .released(
                                models.modelDir(version).toUri().toString(),
                                manifest.sha256(),
                                thresholds,
                                config.neighbours(),
                                reason);
        publisher.publish(
                ReleasePublisher.release(released, config.releaseSigningKey()),
                encoder,
                data.catalog(),
                data.exemplars());
        return released;
    }

    /** Records the run's outcome and marks its examples trained. */
    private ReleaseRecord finish(ReleaseRecord record, long upTo, String parent)
            throws IOException {
        models.record(record);
        store.markTrained(upTo);
        if (record.released()) {
            log.info("Released {}: {}", record.version(), record.reason());
        } else {
            log.info(
                    "Candidate {} not released: {}; keeping {}",
                    record.version(),
                    record.reason(),
                    parent);
        }
        return record;
    }

    private TrainingResult train(SentenceModel model, TrainingData data, String version) {
        // Kept in memory: the candidate is stored by the model store only if it is released.
        TrainingArguments args =
                TrainingArguments.builder()
                        .optEpochs(config.epochs())
                        .optBatchSize(config.batchSize())
                        .optLearningRate(config.learningRate())
                        .optMaxSteps(config.maxSteps())
                        .optSeed(config.seed())
                        .optLoggingSteps(20)
                        .optModelVersion(version)
                        .build();
        SentenceLoss loss = Losses.byName(config.loss(), model, Losses.Options.defaults());
        BatchSource batches =
                BatchSource.sampled(
                        new NoDuplicatesBatchSampler(config.batchSize(), true),
                        data.training(),
                        config.seed());
        try {
            return new Trainer(
                            model,
                            loss,
                            args,
                            null,
                            List.of(ProgressReporter.forEnvironment(20), progress))
                    .train(batches);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The exemplars the release in service shipped; none before the first release. */
    private Map<String, List<String>> servedExemplars(Optional<ModelRelease> current)
            throws IOException {
        if (current.isPresent() && models.hasModel(current.get().getVersion())) {
            return ReleaseExemplars.read(models.modelDir(current.get().getVersion()));
        }
        return Map.of();
    }

    // The release in service is scored as it names; the base model, or a release that names
    // nothing, as services score by default: plain nearest neighbour.
    private static int servedNeighbours(Optional<ModelRelease> current) {
        return current.map(ModelRelease::getNeighbours).orElse(1);
    }

    private SentenceModel loadCurrent(Optional<ModelRelease> current) throws IOException {
        var device = DeviceChoice.parse(config.modelDevice()).resolve();
        if (current.isPresent() && models.hasModel(current.get().getVersion())) {
            String v = current.get().getVersion();
            models.verify(v);
            return ModelLoader.load(models.modelDir(v).toString(), device);
        }
        if (current.isPresent()) {
            log.warn(
                    "Release {} is not in the model store {}; training from the base model {}",
                    current.get().getVersion(),
                    models.root(),
                    config.baseModel());
        }
        return ModelLoader.load(config.baseModel(), device);
    }

    /**
     * A stored model that was never announced is discarded; one announced but not recorded gets its
     * record.
     */
    private void reconcile() throws IOException {
        ReleaseLog releases = ReleaseLog.read(config.clientConfig(), config.topicPrefix());
        for (String v : models.storedVersions()) {
            if (models.release(v).isPresent()) {
                continue;
            }
            Optional<ModelRelease> announced = releases.release(v);
            if (announced.isPresent()) {
                ModelManifest m =
                        ModelManifest.fromJson(
                                Files.readString(
                                        models.modelDir(v).resolve(ModelManifest.FILE_NAME)));
                Map<String, Double> thresholds = new HashMap<>();
                announced
                        .get()
                        .getThresholds()
                        .forEach((intent, t) -> thresholds.put(intent.toString(), t.doubleValue()));
                models.record(
                        ReleaseRecord.builder(v, m.parentVersion())
                                .metrics(m.metrics())
                                .createdAt(clock.millis())
                                .sequence(announced.get().getSequence())
                                .released(
                                        models.modelDir(v).toUri().toString(),
                                        m.sha256(),
                                        thresholds,
                                        announced.get().getNeighbours(),
                                        "recovered after a crash"));
                log.warn("Model {} was announced but not recorded; recorded it now", v);
            } else {
                models.discard(v);
            }
        }
    }

    @Override
    public void close() {
        try {
            ingestor.close();
            publisher.close();
        } finally {
            store.close();
            try {
                models.close();
            } catch (IOException e) {
                log.warn("Releasing the model store's lease failed", e);
            }
        }
    }
}
