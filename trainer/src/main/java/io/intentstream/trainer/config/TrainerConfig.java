package io.intentstream.trainer.config;

import io.intentstream.schemas.Topics;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;

/**
 * The trainer job's settings. Kafka client settings (security, timeouts) pass through under the
 * {@value #KAFKA_PREFIX} prefix, e.g. {@code kafka.security.protocol=SASL_SSL}.
 */
public final class TrainerConfig extends AbstractConfig {

    public static final String KAFKA_PREFIX = "kafka.";

    public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
    private static final String BOOTSTRAP_SERVERS_DOC =
            "Kafka cluster to read training examples and the catalog from and to publish releases"
                    + " to.";

    public static final String TOPIC_PREFIX_CONFIG = "topic.prefix";
    private static final String TOPIC_PREFIX_DOC =
            "Prefix of every topic; the same as the service's.";

    public static final String RELEASE_SIGNING_KEY_CONFIG = "release.signing.key";
    private static final String RELEASE_SIGNING_KEY_DOC =
            "Key that signs every release (HMAC-SHA256); services configured with the same key"
                    + " refuse unsigned or wrongly signed releases. Give it as"
                    + " INTENT_STREAM_RELEASE_SIGNING_KEY or in a secrets file; it is never logged."
                    + " Empty: releases are unsigned.";

    public static final String GROUP_ID_CONFIG = "group.id";
    private static final String GROUP_ID_DOC =
            "Consumer group whose committed offsets mark the training examples already stored.";

    public static final String STATE_DIR_CONFIG = "state.dir";
    private static final String STATE_DIR_DOC =
            "Directory of the durable training set (RocksDB) and of work in progress.";

    public static final String MODEL_STORE_DIR_CONFIG = "model.store.dir";
    private static final String MODEL_STORE_DIR_DOC =
            "Model store: one directory per release plus the release history; must be readable by"
                    + " every service instance.";

    public static final String BASE_MODEL_CONFIG = "model.base";
    private static final String BASE_MODEL_DOC =
            "Model to start from while no release exists: 'default' or a model directory.";

    public static final String MODEL_DEVICE_CONFIG = "model.device";
    private static final String MODEL_DEVICE_DOC = "Device to train on: auto, cpu or gpu.";

    public static final String SCHEDULE_INTERVAL_MS_CONFIG = "schedule.interval.ms";
    private static final String SCHEDULE_INTERVAL_MS_DOC =
            "Train at least this often when new examples arrived; 0 trains only on"
                    + " schedule.min.new.examples.";

    public static final String SCHEDULE_MIN_NEW_EXAMPLES_CONFIG = "schedule.min.new.examples";
    private static final String SCHEDULE_MIN_NEW_EXAMPLES_DOC =
            "Train as soon as this many new examples arrived since the last run; 0 trains only on"
                    + " the interval.";

    public static final String HOLDOUT_FRACTION_CONFIG = "holdout.fraction";
    private static final String HOLDOUT_FRACTION_DOC =
            "Fraction of confirmed examples (chosen by a hash of the query id, so stable) held out"
                    + " for the release gate and never trained on.";

    public static final String HOLDOUT_MAX_EXAMPLES_CONFIG = "holdout.max.examples";
    private static final String HOLDOUT_MAX_EXAMPLES_DOC =
            "Most recent held-out examples evaluated per run (bounds the gate's time).";

    public static final String RELEASE_EXEMPLARS_PER_INTENT_CONFIG = "release.exemplars.per.intent";
    private static final String RELEASE_EXEMPLARS_PER_INTENT_DOC =
            "Confirmed queries (not held out) a release ships per intent, most recent first, which"
                    + " services match like the catalog's utterances; 0 ships none, so confirmed"
                    + " queries reach matching only through the model.";
    public static final String RELEASE_NEIGHBOURS_CONFIG = "release.match.neighbours";
    private static final String RELEASE_NEIGHBOURS_DOC =
            "How services score an intent under the releases this trainer makes: the mean cosine of"
                    + " its this-many utterances and exemplars closest to the query (1: the closest"
                    + " only). The gate and the fitted thresholds score the same way.";
    public static final String REPLAY_MAX_EXAMPLES_CONFIG = "replay.max.examples";
    private static final String REPLAY_MAX_EXAMPLES_DOC =
            "Older (already trained on) examples sampled into each run besides the new ones, so the"
                    + " model does not forget.";

    public static final String HARD_NEGATIVES_CONFIG = "train.hard.negatives";
    private static final String HARD_NEGATIVES_DOC =
            "Add a hard negative to each example: the wrongly predicted intent of a corrected"
                    + " match, else an intent the current model confuses with the right one.";

    public static final String LOSS_CONFIG = "train.loss";
    private static final String LOSS_DOC =
            "Loss: MultipleNegativesRankingLoss (in-batch and hard negatives) or TripletLoss.";

    public static final String EPOCHS_CONFIG = "train.epochs";
    private static final String EPOCHS_DOC = "Passes over each run's training data.";

    public static final String BATCH_SIZE_CONFIG = "train.batch.size";
    private static final String BATCH_SIZE_DOC =
            "Examples per step (each intent at most once per batch).";

    public static final String LEARNING_RATE_CONFIG = "train.learning.rate";
    private static final String LEARNING_RATE_DOC =
            "Peak learning rate (AdamW, linear warm-up and decay).";

    public static final String MAX_STEPS_CONFIG = "train.max.steps";
    private static final String MAX_STEPS_DOC =
            "Stop a run after this many steps; -1 for every epoch in full.";

    public static final String SEED_CONFIG = "train.seed";
    private static final String SEED_DOC = "Seed of sampling, shuffling and training.";

    public static final String GATE_MIN_IMPROVEMENT_CONFIG = "gate.min.improvement";
    private static final String GATE_MIN_IMPROVEMENT_DOC =
            "The candidate's held-out intent accuracy must beat the current release's by more than"
                    + " this; a negative value accepts a candidate that much worse (e.g. to force a"
                    + " first release in a test).";

    public static final String GATE_GUARD_FILE_CONFIG = "gate.guard.file";
    private static final String GATE_GUARD_FILE_DOC =
            "STS-style pair file (TSV sentence1, sentence2, score 0-5, e.g. STS-B dev) to catch"
                    + " forgetting; empty for none.";

    public static final String GATE_GUARD_TOLERANCE_CONFIG = "gate.guard.tolerance";
    private static final String GATE_GUARD_TOLERANCE_DOC =
            "Largest drop of the guard set's Spearman correlation, and of out-of-scope recall, the"
                    + " gate accepts.";

    public static final String POLL_TIMEOUT_MS_CONFIG = "poll.timeout.ms";
    private static final String POLL_TIMEOUT_MS_DOC = "How long one poll for new examples waits.";

    public static final ConfigDef CONFIG =
            new ConfigDef()
                    .define(
                            BOOTSTRAP_SERVERS_CONFIG,
                            Type.STRING,
                            "localhost:9092",
                            new ConfigDef.NonEmptyString(),
                            Importance.HIGH,
                            BOOTSTRAP_SERVERS_DOC)
                    .define(
                            TOPIC_PREFIX_CONFIG,
                            Type.STRING,
                            Topics.DEFAULT_PREFIX,
                            Importance.MEDIUM,
                            TOPIC_PREFIX_DOC)
                    .define(
                            GROUP_ID_CONFIG,
                            Type.STRING,
                            "intent-stream-trainer",
                            new ConfigDef.NonEmptyString(),
                            Importance.MEDIUM,
                            GROUP_ID_DOC)
                    .define(
                            STATE_DIR_CONFIG,
                            Type.STRING,
                            "trainer-state",
                            new ConfigDef.NonEmptyString(),
                            Importance.HIGH,
                            STATE_DIR_DOC)
                    .define(
                            RELEASE_SIGNING_KEY_CONFIG,
                            Type.PASSWORD,
                            null,
                            Importance.MEDIUM,
                            RELEASE_SIGNING_KEY_DOC)
                    .define(
                            MODEL_STORE_DIR_CONFIG,
                            Type.STRING,
                            "model-store",
                            new ConfigDef.NonEmptyString(),
                            Importance.HIGH,
                            MODEL_STORE_DIR_DOC)
                    .define(
                            BASE_MODEL_CONFIG,
                            Type.STRING,
                            "default",
                            new ConfigDef.NonEmptyString(),
                            Importance.MEDIUM,
                            BASE_MODEL_DOC)
                    .define(
                            MODEL_DEVICE_CONFIG,
                            Type.STRING,
                            "auto",
                            ValidString.in("auto", "cpu", "gpu"),
                            Importance.MEDIUM,
                            MODEL_DEVICE_DOC)
                    .define(
                            SCHEDULE_INTERVAL_MS_CONFIG,
                            Type.LONG,
                            3_600_000L,
                            Range.atLeast(0L),
                            Importance.HIGH,
                            SCHEDULE_INTERVAL_MS_DOC)
                    .define(
                            SCHEDULE_MIN_NEW_EXAMPLES_CONFIG,
                            Type.INT,
                            1000,
                            Range.atLeast(0),
                            Importance.HIGH,
                            SCHEDULE_MIN_NEW_EXAMPLES_DOC)
                    .define(
                            HOLDOUT_FRACTION_CONFIG,
                            Type.DOUBLE,
                            0.1,
                            Range.between(0.01, 0.5),
                            Importance.MEDIUM,
                            HOLDOUT_FRACTION_DOC)
                    .define(
                            HOLDOUT_MAX_EXAMPLES_CONFIG,
                            Type.INT,
                            2000,
                            Range.atLeast(10),
                            Importance.LOW,
                            HOLDOUT_MAX_EXAMPLES_DOC)
                    .define(
                            REPLAY_MAX_EXAMPLES_CONFIG,
                            Type.INT,
                            5000,
                            Range.atLeast(0),
                            Importance.MEDIUM,
                            REPLAY_MAX_EXAMPLES_DOC)
                    .define(
                            RELEASE_EXEMPLARS_PER_INTENT_CONFIG,
                            Type.INT,
                            200,
                            Range.atLeast(0),
                            Importance.MEDIUM,
                            RELEASE_EXEMPLARS_PER_INTENT_DOC)
                    .define(
                            RELEASE_NEIGHBOURS_CONFIG,
                            Type.INT,
                            3,
                            Range.between(1, 100),
                            Importance.MEDIUM,
                            RELEASE_NEIGHBOURS_DOC)
                    .define(
                            HARD_NEGATIVES_CONFIG,
                            Type.BOOLEAN,
                            true,
                            Importance.MEDIUM,
                            HARD_NEGATIVES_DOC)
                    .define(
                            LOSS_CONFIG,
                            Type.STRING,
                            "MultipleNegativesRankingLoss",
                            ValidString.in("MultipleNegativesRankingLoss", "TripletLoss"),
                            Importance.MEDIUM,
                            LOSS_DOC)
                    .define(
                            EPOCHS_CONFIG,
                            Type.INT,
                            1,
                            Range.between(1, 100),
                            Importance.MEDIUM,
                            EPOCHS_DOC)
                    .define(
                            BATCH_SIZE_CONFIG,
                            Type.INT,
                            32,
                            Range.between(2, 1024),
                            Importance.MEDIUM,
                            BATCH_SIZE_DOC)
                    .define(
                            LEARNING_RATE_CONFIG,
                            Type.DOUBLE,
                            2e-5,
                            Range.between(1e-8, 1e-2),
                            Importance.MEDIUM,
                            LEARNING_RATE_DOC)
                    .define(
                            MAX_STEPS_CONFIG,
                            Type.LONG,
                            -1L,
                            Range.atLeast(-1L),
                            Importance.LOW,
                            MAX_STEPS_DOC)
                    .define(SEED_CONFIG, Type.LONG, 42L, Importance.LOW, SEED_DOC)
                    .define(
                            GATE_MIN_IMPROVEMENT_CONFIG,
                            Type.DOUBLE,
                            0.0,
                            Range.between(-1.0, 1.0),
                            Importance.MEDIUM,
                            GATE_MIN_IMPROVEMENT_DOC)
                    .define(
                            GATE_GUARD_FILE_CONFIG,
                            Type.STRING,
                            "",
                            Importance.MEDIUM,
                            GATE_GUARD_FILE_DOC)
                    .define(
                            GATE_GUARD_TOLERANCE_CONFIG,
                            Type.DOUBLE,
                            0.02,
                            Range.between(0.0, 1.0),
                            Importance.MEDIUM,
                            GATE_GUARD_TOLERANCE_DOC)
                    .define(
                            POLL_TIMEOUT_MS_CONFIG,
                            Type.LONG,
                            1000L,
                            Range.between(10L, 60_000L),
                            Importance.LOW,
                            POLL_TIMEOUT_MS_DOC);

    public TrainerConfig(Map<?, ?> originals) {
        super(CONFIG, originals, true);
    }

    /** This config with the keys of {@code overrides} replaced. */
    public TrainerConfig with(Map<String, ?> overrides) {
        Map<String, Object> merged = new HashMap<>(originals());
        merged.putAll(overrides);
        return new TrainerConfig(merged);
    }

    /** Settings for Kafka clients: the bootstrap servers and every {@code kafka.*} key. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> out = new HashMap<>(originalsWithPrefix(KAFKA_PREFIX));
        out.put("bootstrap.servers", getString(BOOTSTRAP_SERVERS_CONFIG));
        return out;
    }

    public String topicPrefix() {
        return getString(TOPIC_PREFIX_CONFIG);
    }

    public String groupId() {
        return getString(GROUP_ID_CONFIG);
    }

    public Path stateDir() {
        return Path.of(getString(STATE_DIR_CONFIG));
    }

    /** The release signing key, or null when releases are unsigned. */
    public String releaseSigningKey() {
        var key = getPassword(RELEASE_SIGNING_KEY_CONFIG);
        return key == null || key.value().isEmpty() ? null : key.value();
    }

    public Path modelStoreDir() {
        return Path.of(getString(MODEL_STORE_DIR_CONFIG));
    }

    public String baseModel() {
        return getString(BASE_MODEL_CONFIG);
    }

    public String modelDevice() {
        return getString(MODEL_DEVICE_CONFIG);
    }

    public long scheduleIntervalMs() {
        return getLong(SCHEDULE_INTERVAL_MS_CONFIG);
    }

    public int scheduleMinNewExamples() {
        return getInt(SCHEDULE_MIN_NEW_EXAMPLES_CONFIG);
    }

    public double holdoutFraction() {
        return getDouble(HOLDOUT_FRACTION_CONFIG);
    }

    public int holdoutMaxExamples() {
        return getInt(HOLDOUT_MAX_EXAMPLES_CONFIG);
    }

    public int replayMaxExamples() {
        return getInt(REPLAY_MAX_EXAMPLES_CONFIG);
    }

    public int exemplarsPerIntent() {
        return getInt(RELEASE_EXEMPLARS_PER_INTENT_CONFIG);
    }

    public int neighbours() {
        return getInt(RELEASE_NEIGHBOURS_CONFIG);
    }

    public boolean hardNegatives() {
        return getBoolean(HARD_NEGATIVES_CONFIG);
    }

    public String loss() {
        return getString(LOSS_CONFIG);
    }

    public int epochs() {
        return getInt(EPOCHS_CONFIG);
    }

    public int batchSize() {
        return getInt(BATCH_SIZE_CONFIG);
    }

    public float learningRate() {
        return getDouble(LEARNING_RATE_CONFIG).floatValue();
    }

    public long maxSteps() {
        return getLong(MAX_STEPS_CONFIG);
    }

    public long seed() {
        return getLong(SEED_CONFIG);
    }

    public double gateMinImprovement() {
        return getDouble(GATE_MIN_IMPROVEMENT_CONFIG);
    }

    public String gateGuardFile() {
        return getString(GATE_GUARD_FILE_CONFIG);
    }

    public double gateGuardTolerance() {
        return getDouble(GATE_GUARD_TOLERANCE_CONFIG);
    }

    public long pollTimeoutMs() {
        return getLong(POLL_TIMEOUT_MS_CONFIG);
    }

    /** The keys and defaults as a Markdown table, e.g. for the README. */
    public static String toMarkdownTable() {
        StringBuilder out =
                new StringBuilder("| key | type | default | doc |\n|---|---|---|---|\n");
        for (ConfigDef.ConfigKey key : CONFIG.configKeys().values()) {
            out.append("| `")
                    .append(key.name)
                    .append("` | ")
                    .append(key.type.name().toLowerCase())
                    .append(" | `")
                    .append(key.defaultValue)
                    .append("` | ")
                    .append(key.documentation)
                    .append(" |\n");
        }
        return out.toString();
    }
}
