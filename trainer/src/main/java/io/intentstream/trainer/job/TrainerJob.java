package io.intentstream.trainer.job;

import io.intentstream.avro.ModelRelease;
import io.intentstream.encoder.DeviceChoice;
import io.intentstream.encoder.DjlSentenceEncoder;
import io.intentstream.encoder.ModelLoader;
import io.intentstream.encoder.ModelManifest;
import io.intentstream.encoder.SentenceModel;
import io.intentstream.trainer.config.TrainerConfig;
import io.intentstream.trainer.data.InputExample;
import io.intentstream.trainer.data.StsReader;
import io.intentstream.trainer.data.batching.NoDuplicatesBatchSampler;
import io.intentstream.trainer.evaluation.EmbeddingSimilarityEvaluator;
import io.intentstream.trainer.fit.BatchSource;
import io.intentstream.trainer.fit.ProgressReporter;
import io.intentstream.trainer.fit.StepRecord;
import io.intentstream.trainer.fit.Trainer;
import io.intentstream.trainer.fit.TrainingArguments;
import io.intentstream.trainer.fit.TrainingListener;
import io.intentstream.trainer.fit.TrainingResult;
import io.intentstream.trainer.losses.MultipleNegativesRankingLoss;
import io.intentstream.trainer.losses.SentenceLoss;
import io.intentstream.trainer.losses.TripletLoss;
import io.intentstream.trainer.promote.NearestIntents;
import io.intentstream.trainer.promote.ReleaseGate;
import io.intentstream.trainer.promote.ThresholdFitting;
import io.intentstream.trainer.publish.ModelStore;
import io.intentstream.trainer.publish.ReleaseExemplars;
import io.intentstream.trainer.publish.ReleaseLog;
import io.intentstream.trainer.publish.ReleasePublisher;
import io.intentstream.trainer.publish.ReleaseRecord;
import io.intentstream.trainer.job.TrainingSetStore.StoredExample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer process: keeps the training set up to date from Kafka and, when a run is due (an
 * interval passed with new examples, or enough new examples arrived), fine-tunes the current
 * release on new and replayed examples, gates the candidate against the current release, and
 * releases it through the model store and the models topic when it is better.
 *
 * <p>A crash at any point leaves no half release: a model directory appears in the store only
 * whole (atomic rename), the catalog vectors and the release announcement commit in one Kafka
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
    private long lastRunMillis = System.currentTimeMillis();
    /** The smoothed training loss of the latest run. */
    private double lastLoss = Double.NaN;
    // Extra listener for each fine-tuning run (e.g. TrainerMetricsFile); a no-op by default.
    private final TrainingListener progress;

    public TrainerJob(TrainerConfig config) throws IOException {
        this(config, new TrainingListener() {});
    }

    /** A job whose fine-tuning runs also report to {@code progress}. */
    public TrainerJob(TrainerConfig config, TrainingListener progress) throws IOException {
        this(config, progress, () -> {});
    }

    /**
     * As {@link #TrainerJob(TrainerConfig, TrainingListener)}, running {@code beforeCommit} inside
     * each release's transaction just before its commit (see {@link ReleasePublisher}).
     */
    public TrainerJob(TrainerConfig config, TrainingListener progress, Runnable beforeCommit) throws IOException {
        this.config = config;
        this.progress = progress;
        this.models = new ModelStore(config.modelStoreDir());
        this.store = new TrainingSetStore(config.stateDir().resolve("training-set"));
        try {
            this.ingestor = new ExampleIngestor(config.clientConfig(), config.groupId(), config.topicPrefix(), store,
                    Duration.ofMillis(config.pollTimeoutMs()));
            this.publisher = new ReleasePublisher(config.clientConfig(), config.topicPrefix(), config.groupId() + "-publisher", beforeCommit);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        EmbeddingSimilarityEvaluator guard = config.gateGuardFile().isBlank()
                ? null
                : EmbeddingSimilarityEvaluator.fromExamples("guard", StsReader.read(Path.of(config.gateGuardFile()), true));
        this.gate = new ReleaseGate(config.gateMinImprovement(), config.gateGuardTolerance(), guard);
        reconcile();
    }

    /** Runs until {@code stop} says so: ingests continuously and trains whenever a run is due. */
    public void run(BooleanSupplier stop) throws IOException {
        log.info("Trainer started: {} examples stored ({} new), model store {}", store.nextSequence(), store.newExamples(), models.root());
        while (!stop.getAsBoolean()) {
            ingest();
            if (due(System.currentTimeMillis())) {
                runOnce();
            }
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
     * Whether a run is due at {@code now}: never before the catalog has been read (a run without
     * it would have nothing to train on and would use up the new examples).
     */
    public boolean due(long now) {
        long fresh = store.newExamples();
        if (fresh == 0 || !ingestor.catalogCaughtUp() || store.catalog().isEmpty()) {
            return false;
        }
        boolean enough = config.scheduleMinNewExamples() > 0 && fresh >= config.scheduleMinNewExamples();
        boolean interval = config.scheduleIntervalMs() > 0 && now - lastRunMillis >= config.scheduleIntervalMs();
        return enough || interval;
    }

    /**
     * One training run on what is stored now.
     *
     * @return the run's record (released or rejected), or empty when there was nothing to train on
     */
    public Optional<ReleaseRecord> runOnce() throws IOException {
        lastRunMillis = System.currentTimeMillis();
        long upTo = store.nextSequence();
        List<StoredExample> examples = store.examples();
        Optional<ModelRelease> current = ReleaseLog.read(config.clientConfig(), config.topicPrefix()).current();
        String version = models.nextVersion();
        long start = System.nanoTime();
        try (SentenceModel model = loadCurrent(current)) {
            String parent = model.version();
            TrainingData data;
            Map<String, Double> currentMetrics;
            // The current model embeds the catalog for mining and again for the gate: once is enough.
            try (DjlSentenceEncoder served = new DjlSentenceEncoder(model);
                    MemoizingEncoder encoder = new MemoizingEncoder(served)) {
                Map<String, List<String>> nearest = NearestIntents.of(TrainingData.utterances(store.catalog()), encoder, 3);
                data = TrainingData.build(examples, store.catalog(), store.trainedSequence(), TrainingData.confusers(examples, nearest),
                        new TrainingData.Settings(config.holdoutFraction(), config.holdoutMaxExamples(), config.replayMaxExamples(),
                                config.hardNegatives(), config.exemplarsPerIntent(), config.seed()));
                if (data.catalog().isEmpty()) {
                    // The examples stay new: they are trained on once the catalog arrives.
                    log.info("No catalog yet; {} examples wait for it", examples.size());
                    return Optional.empty();
                }
                if (data.training().isEmpty()) {
                    log.info("Nothing to train on yet ({} examples stored, catalog of {} intents); they count as trained", examples.size(), data.catalog().size());
                    store.markTrained(upTo);
                    return Optional.empty();
                }
                log.info("Run for {}: {} training examples ({} new, {} replayed), {} held out, {} texts to match against, from model {}",
                        version, data.training().size(), data.newExamples(), data.replayed(), data.heldOut().size(), data.matchingTexts().size(),
                        parent);
                // Releases are compared as served: the current model with its own exemplars, the
                // candidate with the ones it would ship, so that what traffic taught counts either way.
                currentMetrics =
                        gate.evaluate(encoder, data.matchingTexts(servedExemplars(current)), data.heldOut(), servedNeighbours(current));
            }
            TrainingResult result;
            try {
                result = train(model, data, version);
            } catch (IllegalStateException diverged) {
                // A diverged run (e.g. a non-finite loss) is a rejected candidate, not a reason to stop the job.
                ReleaseRecord rejected = new ReleaseRecord(version, parent, null, null, Map.of(), Map.of(), null, Map.of(),
                        System.currentTimeMillis(), ReleaseRecord.REJECTED, "training failed: " + diverged.getMessage());
                models.record(rejected);
                store.markTrained(upTo);
                log.error("Run for {} failed: {}; keeping {}", version, diverged.getMessage(), parent);
                return Optional.of(rejected);
            }
            Map<String, Double> training = new LinkedHashMap<>();
            training.put("examples", (double) data.training().size());
            training.put("new_examples", (double) data.newExamples());
            training.put("replayed", (double) data.replayed());
            training.put("exemplars", (double) data.exemplars().values().stream().mapToInt(List::size).sum());
            training.put("steps", (double) result.steps());
            training.put("loss", lastLoss);
            training.put("train_seconds", result.trainSeconds());
            try (DjlSentenceEncoder candidate = new DjlSentenceEncoder(model);
                    MemoizingEncoder encoder = new MemoizingEncoder(candidate)) {
                Map<String, Double> candidateMetrics = gate.evaluate(encoder, data.matchingTexts(), data.heldOut(), config.neighbours());
                ReleaseGate.Decision decision = gate.decide(currentMetrics, candidateMetrics);
                Map<String, Double> metrics = new LinkedHashMap<>(candidateMetrics);
                currentMetrics.forEach((k, v) -> metrics.put("current." + k, v));
                training.put("run_seconds", (System.nanoTime() - start) / 1e9);
                ReleaseRecord record;
                if (decision.promote()) {
                    Map<String, Double> thresholds = ThresholdFitting.fit(data.matchingTexts(), data.heldOut(), encoder, config.neighbours());
                    ModelManifest manifest = models.store(model, model.manifest().withVersion(version, parent).withMetrics(metrics),
                            data.exemplars());
                    record = new ReleaseRecord(version, parent, models.modelDir(version).toUri().toString(), manifest.sha256(), metrics,
                            thresholds, config.neighbours(), training, System.currentTimeMillis(), ReleaseRecord.RELEASED, decision.reason());
                    publisher.publish(ReleasePublisher.release(record), encoder, data.catalog(), data.exemplars());
                    models.record(record);
                    log.info("Released {}: {}", version, decision.reason());
                } else {
                    record = new ReleaseRecord(version, parent, null, null, metrics, Map.of(), null, training, System.currentTimeMillis(),
                            ReleaseRecord.REJECTED, decision.reason());
                    models.record(record);
                    log.info("Candidate {} not released: {}; keeping {}", version, decision.reason(), parent);
                }
                store.markTrained(upTo);
                return Optional.of(record);
            }
        } finally {
            deleteWork(version);
        }
    }

    private TrainingResult train(SentenceModel model, TrainingData data, String version) throws IOException {
        Path work = workDir(version);
        deleteWork(version);
        TrainingArguments args = TrainingArguments.builder()
                .setOutputDir(work)
                .optEpochs(config.epochs())
                .optBatchSize(config.batchSize())
                .optLearningRate(config.learningRate())
                .optMaxSteps(config.maxSteps())
                .optSeed(config.seed())
                .optCheckpointSteps(0)
                .optLoggingSteps(20)
                .optModelVersion(version)
                .build();
        SentenceLoss loss = io.intentstream.trainer.losses.Losses.byName(config.loss(), model, io.intentstream.trainer.losses.Losses.Options.defaults());
        NoDuplicatesBatchSampler sampler = new NoDuplicatesBatchSampler(config.batchSize(), true);
        List<InputExample> examples = data.training();
        BatchSource batches = epoch -> sampler.batches(examples, config.seed() * 31 + epoch);
        TrainingListener lossTracker = new TrainingListener() {
            @Override
            public void onStep(StepRecord step) {
                lastLoss = Double.isNaN(lastLoss) ? step.loss() : 0.9 * lastLoss + 0.1 * step.loss();
            }
        };
        lastLoss = Double.NaN;
        return new Trainer(model, loss, args, null, List.of(ProgressReporter.forEnvironment(20), lossTracker, progress)).train(batches);
    }

    /** The exemplars the release in service shipped; none before the first release. */
    private Map<String, List<String>> servedExemplars(Optional<ModelRelease> current) throws IOException {
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
            log.warn("Release {} is not in the model store {}; training from the base model {}", current.get().getVersion(),
                    models.root(), config.baseModel());
        }
        return ModelLoader.load(config.baseModel(), device);
    }

    /** A stored model that was never announced is discarded; one announced but not recorded gets its record. */
    private void reconcile() throws IOException {
        ReleaseLog releases = ReleaseLog.read(config.clientConfig(), config.topicPrefix());
        for (String v : models.storedVersions()) {
            if (models.release(v).isPresent()) {
                continue;
            }
            Optional<ModelRelease> announced = releases.release(v);
            if (announced.isPresent()) {
                ModelManifest m = ModelManifest.fromJson(Files.readString(models.modelDir(v).resolve(ModelManifest.FILE_NAME)));
                Map<String, Double> thresholds = new HashMap<>();
                announced.get().getThresholds().forEach((intent, t) -> thresholds.put(intent.toString(), t.doubleValue()));
                models.record(new ReleaseRecord(v, m.parentVersion(), models.modelDir(v).toUri().toString(), m.sha256(), m.metrics(),
                        thresholds, announced.get().getNeighbours(), Map.of(), System.currentTimeMillis(), ReleaseRecord.RELEASED,
                        "recovered after a crash"));
                log.warn("Model {} was announced but not recorded; recorded it now", v);
            } else {
                models.discard(v);
            }
        }
    }

    private Path workDir(String version) {
        return config.stateDir().resolve("work").resolve(version);
    }

    private void deleteWork(String version) {
        Path dir = workDir(version);
        if (!Files.exists(dir)) {
            return;
        }
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + dir, e);
        }
    }

    @Override
    public void close() {
        try {
            ingestor.close();
            publisher.close();
        } finally {
            store.close();
        }
    }
}
