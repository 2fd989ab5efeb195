package io.intentstream.trainer.publish;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.avro.IntentEmbedding;
import io.intentstream.avro.ModelRelease;
import io.intentstream.encoder.SentenceEncoder;
import io.intentstream.matching.IntentEmbeddings;
import io.intentstream.schemas.ReleaseSignature;
import io.intentstream.schemas.Topic;
import io.intentstream.schemas.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces a stored model: the catalog's vectors under the new version on the intent-embeddings
 * topic, then the {@link ModelRelease} on the models topic, in one Kafka transaction. Services read
 * both with {@code read_committed}, so they see the whole release or nothing of it, and the vectors
 * are in their stores by the time they see the release.
 */
public final class ReleasePublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReleasePublisher.class);

    private final KafkaProducer<String, Object> producer;
    private final Topic<String, IntentEmbedding> embeddings;
    private final Topic<String, ModelRelease> models;
    private final Runnable beforeCommit;

    public ReleasePublisher(
            Map<String, Object> clientConfig, String topicPrefix, String transactionalId) {
        this(clientConfig, topicPrefix, transactionalId, () -> {});
    }

    /**
     * @param beforeCommit runs inside each release's transaction, after every record is sent and
     *     before the commit; fault tests stop the process there (the worst moment to crash)
     */
    public ReleasePublisher(
            Map<String, Object> clientConfig,
            String topicPrefix,
            String transactionalId,
            Runnable beforeCommit) {
        this.beforeCommit = beforeCommit;
        this.embeddings = Topics.INTENT_EMBEDDINGS.withPrefix(topicPrefix);
        this.models = Topics.MODELS.withPrefix(topicPrefix);
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 120_000);
        var embeddingSerializer = embeddings.valueSerde().serializer();
        var releaseSerializer = models.valueSerde().serializer();
        this.producer =
                new KafkaProducer<>(
                        config,
                        new StringSerializer(),
                        (topic, value) ->
                                value instanceof ModelRelease r
                                        ? releaseSerializer.serialize(topic, r)
                                        : embeddingSerializer.serialize(
                                                topic, (IntentEmbedding) value));
        producer.initTransactions();
    }

    /**
     * Publishes {@code release}, embedding the catalog with {@code encoder} (the released model).
     * An intent's own threshold wins over the release's fitted one.
     */
    public void publish(
            ModelRelease release, SentenceEncoder encoder, List<IntentDefinition> catalog) {
        publish(release, encoder, catalog, Map.of());
    }

    /**
     * As {@link #publish(ModelRelease, SentenceEncoder, List)}, each intent's vectors followed by
     * those of its {@code exemplars} (confirmed queries the release ships for matching).
     */
    public void publish(
            ModelRelease release,
            SentenceEncoder encoder,
            List<IntentDefinition> catalog,
            Map<String, List<String>> exemplars) {
        String version = release.getVersion();
        int dimension = encoder.dimension();
        producer.beginTransaction();
        try {
            int intents = 0;
            for (IntentDefinition d : catalog) {
                if (!IntentEmbeddings.servable(d)) {
                    continue;
                }
                List<String> shipped = exemplars.getOrDefault(d.getIntentId(), List.of());
                List<String> examples = new ArrayList<>(IntentEmbeddings.utterances(d));
                examples.addAll(shipped);
                List<IntentEmbedding> records =
                        IntentEmbeddings.records(
                                version,
                                d,
                                release.getThresholds().get(d.getIntentId()),
                                dimension,
                                encoder.encode(examples),
                                shipped.size());
                for (IntentEmbedding part : records) {
                    producer.send(
                            new ProducerRecord<>(
                                    embeddings.name(), IntentEmbeddings.key(part), part));
                }
                intents++;
            }
            producer.send(new ProducerRecord<>(models.name(), version, release));
            producer.flush();
            beforeCommit.run();
            producer.commitTransaction();
            log.info(
                    "Released model {} (parent {}): {} intents embedded with {} exemplars,"
                            + " announced on {}",
                    version,
                    release.getParentVersion(),
                    intents,
                    exemplars.values().stream().mapToInt(List::size).sum(),
                    models.name());
        } catch (KafkaException | IllegalArgumentException e) {
            producer.abortTransaction();
            throw e;
        }
    }

    /**
     * A release as announced on the models topic, signed with {@code signingKey} unless it is null.
     */
    public static ModelRelease release(ReleaseRecord r, String signingKey) {
        Map<String, Float> thresholds = new HashMap<>();
        r.thresholds().forEach((k, v) -> thresholds.put(k, v.floatValue()));
        ModelRelease release =
                ModelRelease.newBuilder()
                        .setVersion(r.version())
                        .setParentVersion(r.parentVersion())
                        .setModelUri(r.modelUri())
                        .setSha256(r.sha256())
                        .setMetrics(new HashMap<>(r.metrics()))
                        .setThresholds(thresholds)
                        .setNeighbours(r.neighbours())
                        .setCreatedAt(Instant.ofEpochMilli(r.createdAt()))
                        .setSequence(r.sequence())
                        .build();
        if (signingKey != null) {
            release.setSignature(ReleaseSignature.sign(release, signingKey));
        }
        return release;
    }

    @Override
    public void close() {
        producer.close();
    }
}
