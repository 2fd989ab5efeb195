package io.intentstream.trainer.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class ExampleIngestorTest {

    @Test
    void shouldLetATrainingRunOutlastKafkasDefaultPollInterval() {
        Map<String, Object> config =
                ExampleIngestor.exampleConsumerConfig(Map.of("bootstrap.servers", "b:9092"), "g");
        assertEquals(
                (int) Duration.ofDays(1).toMillis(),
                config.get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG));
        assertEquals("g", config.get(ConsumerConfig.GROUP_ID_CONFIG));
        assertEquals(false, config.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
    }

    @Test
    void shouldKeepAPollIntervalTheUserSet() {
        Map<String, Object> config =
                ExampleIngestor.exampleConsumerConfig(
                        Map.of(
                                "bootstrap.servers",
                                "b:9092",
                                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                                "600000"),
                        "g");
        assertEquals("600000", config.get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG));
    }
}
