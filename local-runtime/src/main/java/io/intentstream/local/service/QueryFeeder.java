package io.intentstream.local.service;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.avro.SupportQuery;
import io.intentstream.schemas.Topic;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes support queries and catalog intents to the service's input topics with an idempotent
 * producer (acks=all), as a client of the service would.
 */
public final class QueryFeeder implements AutoCloseable {

    private final KafkaProducer<String, SupportQuery> queries;
    private final Topic<String, SupportQuery> queriesTopic;
    private final Map<String, Object> clientConfig;

    public QueryFeeder(
            Map<String, Object> clientConfig,
            Topic<String, SupportQuery> queriesTopic,
            Map<String, Object> producerOverrides) {
        this.clientConfig = clientConfig;
        this.queriesTopic = queriesTopic;
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.putAll(producerOverrides);
        this.queries =
                new KafkaProducer<>(
                        config,
                        queriesTopic.keySerde().serializer(),
                        queriesTopic.valueSerde().serializer());
    }

    /** A query record with the current time as its timestamp. */
    public static SupportQuery query(String queryId, String text, String channel) {
        return SupportQuery.newBuilder()
                .setQueryId(queryId)
                .setText(text)
                .setChannel(channel)
                .setTimestamp(java.time.Instant.now())
                .build();
    }

    /** Sends one query, keyed by its id; returns without waiting for the broker. */
    public void send(SupportQuery query) {
        queries.send(
                new ProducerRecord<>(queriesTopic.name(), query.getQueryId().toString(), query));
    }

    /**
     * Sends raw bytes as a query value, e.g. to check how the service treats a record it cannot
     * decode.
     */
    public void sendRaw(String key, byte[] value) {
        try (KafkaProducer<byte[], byte[]> raw =
                new KafkaProducer<>(
                        clientConfig,
                        new org.apache.kafka.common.serialization.ByteArraySerializer(),
                        new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            raw.send(
                    new ProducerRecord<>(
                            queriesTopic.name(),
                            key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            value));
        }
    }

    public void flush() {
        queries.flush();
    }

    /**
     * Writes intents to the catalog topic, keyed by intent id, and waits until the broker has them
     * all.
     */
    public static void publishCatalog(
            Map<String, Object> clientConfig,
            Topic<String, IntentDefinition> intentsTopic,
            List<IntentDefinition> intents) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, IntentDefinition> producer =
                new KafkaProducer<>(
                        config,
                        intentsTopic.keySerde().serializer(),
                        intentsTopic.valueSerde().serializer())) {
            List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
            for (IntentDefinition intent : intents) {
                sent.add(
                        producer.send(
                                new ProducerRecord<>(
                                        intentsTopic.name(),
                                        intent.getIntentId().toString(),
                                        intent)));
            }
            for (java.util.concurrent.Future<?> f : sent) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading the catalog", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot write the catalog to "
                            + intentsTopic.name()
                            + ": "
                            + e.getCause().getMessage(),
                    e);
        }
    }

    /** Deletes an intent from the catalog (a tombstone on its key). */
    public static void deleteIntent(
            Map<String, Object> clientConfig,
            Topic<String, IntentDefinition> intentsTopic,
            String intentId) {
        try (KafkaProducer<String, IntentDefinition> producer =
                new KafkaProducer<>(
                        new HashMap<>(clientConfig),
                        intentsTopic.keySerde().serializer(),
                        intentsTopic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(intentsTopic.name(), intentId, null)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while deleting an intent", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot delete intent " + intentId + ": " + e.getCause().getMessage(), e);
        }
    }

    @Override
    public void close() {
        queries.close();
    }
}
