package io.intentstream.streams.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.intentstream.encoder.EncoderOptions;
import io.intentstream.encoder.Execution;
import io.intentstream.encoder.Precision;
import io.intentstream.streams.errors.DeadLetterDeserializationHandler;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class IntentStreamConfigTest {

    @Test
    void shouldUseDocumentedDefaultsWhenNothingIsSet() {
        IntentStreamConfig config = new IntentStreamConfig(Map.of());
        assertEquals("intent-stream", config.applicationId());
        assertEquals("", config.bootstrapServers());
        assertEquals("intent-stream.", config.topicPrefix());
        assertEquals("default", config.modelDir());
        assertEquals(5, config.topK());
        assertEquals(0.5f, config.threshold());
        assertEquals(32, config.batchMaxSize());
        assertTrue(config.fallbackEnabled());
        assertEquals(8080, config.httpPort());
        assertEquals(0, config.modelIntraOpThreads());
    }

    @Test
    void shouldSplitTheCoresAmongStreamThreadsUnlessIntraOpThreadsAreSet() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(
                2 * cores,
                new IntentStreamConfig(Map.of()).streamThreads(),
                "two stream threads per core by default");
        assertEquals(
                Math.max(1, 8 / (2 * cores)),
                new IntentStreamConfig(Map.of()).intraOpThreadsFor(8));
        assertEquals(
                0,
                new IntentStreamConfig(Map.of("streams.num.stream.threads", "1"))
                        .intraOpThreadsFor(8),
                "one stream thread keeps PyTorch's default");
        IntentStreamConfig twoThreads =
                new IntentStreamConfig(Map.of("streams.num.stream.threads", "2"));
        assertEquals(2, twoThreads.streamThreads());
        assertEquals(1, twoThreads.intraOpThreadsFor(2));
        assertEquals(4, twoThreads.intraOpThreadsFor(8));
        assertEquals(
                1,
                new IntentStreamConfig(Map.of("streams.num.stream.threads", "4"))
                        .intraOpThreadsFor(2));
        assertEquals(
                3,
                new IntentStreamConfig(
                                Map.of(
                                        "streams.num.stream.threads",
                                        "2",
                                        IntentStreamConfig.MODEL_INTRA_OP_THREADS_CONFIG,
                                        "3"))
                        .intraOpThreadsFor(2));
    }

    @Test
    void shouldRejectANegativeIntraOpThreadCount() {
        assertEquals(
                1,
                new IntentStreamConfig(
                                Map.of(IntentStreamConfig.MODEL_INTRA_OP_THREADS_CONFIG, "1"))
                        .modelIntraOpThreads());
        assertThrows(
                ConfigException.class,
                () ->
                        new IntentStreamConfig(
                                Map.of(IntentStreamConfig.MODEL_INTRA_OP_THREADS_CONFIG, "-1")));
    }

    @Test
    void shouldServeScriptedFloat32UnlessPrecisionAndExecutionAreSet() {
        EncoderOptions defaults = new IntentStreamConfig(Map.of()).encoderOptions();
        assertEquals(Precision.FP32, defaults.precision());
        assertEquals(Execution.SCRIPTED, defaults.execution());
        EncoderOptions int8 =
                new IntentStreamConfig(Map.of(IntentStreamConfig.MODEL_PRECISION_CONFIG, "int8"))
                        .encoderOptions();
        assertEquals(Precision.INT8, int8.precision());
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                new IntentStreamConfig(
                                        Map.of(
                                                IntentStreamConfig.MODEL_PRECISION_CONFIG,
                                                "int8",
                                                IntentStreamConfig.MODEL_EXECUTION_CONFIG,
                                                "eager")));
        assertTrue(e.getMessage().contains("scripted"), e.getMessage());
        assertThrows(
                ConfigException.class,
                () ->
                        new IntentStreamConfig(
                                Map.of(IntentStreamConfig.MODEL_PRECISION_CONFIG, "bf16")));
    }

    @Test
    void shouldDefaultToExactlyOnceWithDeadLettersWhenBuildingStreamsProperties() {
        Properties props =
                new IntentStreamConfig(
                                Map.of(IntentStreamConfig.BOOTSTRAP_SERVERS_CONFIG, "b:9092"))
                        .streamsProperties(Map.of());
        assertEquals(
                StreamsConfig.EXACTLY_ONCE_V2,
                props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals("b:9092", props.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        assertEquals(
                "intent-stream.dead-letters",
                props.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG));
        assertEquals(
                DeadLetterDeserializationHandler.class.getName(),
                props.get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG));
        assertEquals(
                true, props.get(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG));
        assertEquals(10L, props.get(StreamsConfig.producerPrefix("retry.backoff.ms")));
        new StreamsConfig(props); // Kafka accepts every key
    }

    @Test
    void shouldPollNoLongerThanABatchMayWaitUnlessTold() {
        assertEquals(
                2L,
                new IntentStreamConfig(Map.of())
                        .streamsProperties(Map.of())
                        .get(StreamsConfig.POLL_MS_CONFIG));
        assertEquals(
                100L,
                new IntentStreamConfig(Map.of(IntentStreamConfig.BATCH_MAX_WAIT_MS_CONFIG, 500))
                        .streamsProperties(Map.of())
                        .get(StreamsConfig.POLL_MS_CONFIG));
        assertEquals(
                "50",
                new IntentStreamConfig(Map.of("streams.poll.ms", "50"))
                        .streamsProperties(Map.of())
                        .get(StreamsConfig.POLL_MS_CONFIG));
    }

    @Test
    void shouldPassStreamsSettingsThroughWhenPrefixed() {
        Properties props =
                new IntentStreamConfig(
                                Map.of(
                                        "streams.processing.guarantee", "at_least_once",
                                        "streams.num.stream.threads", "3",
                                        "streams.security.protocol", "SASL_SSL"))
                        .streamsProperties(Map.of());
        assertEquals("at_least_once", props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals("3", props.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
        assertEquals("SASL_SSL", props.get("security.protocol"));
        assertFalse(props.containsKey("streams.num.stream.threads"));
    }

    @Test
    void shouldRejectValueWhenOutOfRange() {
        assertThrows(
                ConfigException.class,
                () -> new IntentStreamConfig(Map.of(IntentStreamConfig.TOP_K_CONFIG, 0)));
        assertThrows(
                ConfigException.class,
                () -> new IntentStreamConfig(Map.of(IntentStreamConfig.THRESHOLD_CONFIG, 1.5)));
        assertThrows(
                ConfigException.class,
                () ->
                        new IntentStreamConfig(
                                Map.of(IntentStreamConfig.MODEL_DEVICE_CONFIG, "tpu")));
    }

    @Test
    void shouldDocumentEveryKeyWhenRenderingTheTable() {
        String table = IntentStreamConfig.toMarkdownTable();
        for (String key : IntentStreamConfig.CONFIG.names()) {
            assertTrue(table.contains("`" + key + "`"), key);
        }
    }
}
