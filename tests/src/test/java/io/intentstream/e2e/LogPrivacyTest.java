package io.intentstream.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.intentstream.avro.FeedbackOutcome;
import io.intentstream.avro.IntentDefinition;
import io.intentstream.avro.MatchFeedback;
import io.intentstream.avro.SupportQuery;
import io.intentstream.encoder.DefaultModel;
import io.intentstream.encoder.DjlSentenceEncoder;
import io.intentstream.encoder.SentenceModel;
import io.intentstream.schemas.Topics;
import io.intentstream.streams.config.IntentStreamConfig;
import io.intentstream.streams.metrics.ServiceMetrics;
import io.intentstream.streams.model.IntentIndexCache;
import io.intentstream.streams.model.ModelRegistry;
import io.intentstream.streams.model.ServingModel;
import io.intentstream.streams.topology.IntentTopology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Query text may hold personal data, so it must never reach the logs. Queries that match, fall
 * back, are too long, carry feedback or do not decode run through the topology while every log line
 * of the service's classes (down to trace, set for this module's Surefire run) is captured; the
 * text's marker must appear nowhere, while the record coordinates and model version must.
 */
class LogPrivacyTest {

    private static final String PREFIX = "privacy.";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** A word no log message would contain by chance. */
    private static final String MARKER = "Quixotevelvet";

    @TempDir Path stateDir;

    @Test
    void shouldLogCoordinatesAndModelVersionButNeverQueryTextWhenQueriesRunThroughTheTopology() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        PrintStream originalOut = System.out;
        PrintStream tee = new PrintStream(captured, true, StandardCharsets.UTF_8);
        Map<String, Object> settings = new HashMap<>();
        settings.put(IntentStreamConfig.APPLICATION_ID_CONFIG, "privacy-test");
        settings.put(IntentStreamConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        settings.put(IntentStreamConfig.TOPIC_PREFIX_CONFIG, PREFIX);
        settings.put(IntentStreamConfig.QUERY_MAX_CHARS_CONFIG, 200);
        settings.put(
                IntentStreamConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG,
                stateDir.toString());
        settings.put(
                IntentStreamConfig.STREAMS_PREFIX + StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                StreamsConfig.AT_LEAST_ONCE);
        IntentStreamConfig config = new IntentStreamConfig(settings);
        ServiceMetrics metrics = ServiceMetrics.noop();
        System.setErr(tee);
        System.setOut(tee);
        try (SentenceModel model = DefaultModel.load(Device.cpu());
                ModelRegistry registry =
                        new ModelRegistry(
                                new ServingModel("v1", new DjlSentenceEncoder(model), () -> {}));
                TopologyTestDriver driver =
                        new TopologyTestDriver(
                                IntentTopology.build(
                                        config, registry, new IntentIndexCache(), metrics),
                                config.streamsProperties(
                                        Map.of(ServiceMetrics.CONFIG_KEY, metrics)),
                                T0)) {
            var intents =
                    driver.createInputTopic(
                            PREFIX + "intents",
                            new StringSerializer(),
                            Topics.INTENTS.valueSerde().serializer());
            var queries =
                    driver.createInputTopic(
                            PREFIX + "queries",
                            new StringSerializer(),
                            Topics.QUERIES.valueSerde().serializer());
            var raw =
                    driver.createInputTopic(
                            PREFIX + "queries",
                            new ByteArraySerializer(),
                            new ByteArraySerializer());
            var feedback =
                    driver.createInputTopic(
                            PREFIX + "feedback",
                            new StringSerializer(),
                            Topics.FEEDBACK.valueSerde().serializer());
            intents.pipeInput(
                    "card_lost",
                    IntentDefinition.newBuilder()
                            .setIntentId("card_lost")
                            .setName("card lost")
                            .setRoute("cards")
                            .setExamples(List.of("I lost my card", "my bank card was stolen"))
                            .build());
            intents.pipeInput(
                    "refund",
                    IntentDefinition.newBuilder()
                            .setIntentId("refund")
                            .setName("refund")
                            .setRoute("billing")
                            .setExamples(
                                    List.of("I want my money back", "please refund the payment"))
                            .build());
            queries.pipeInput("q-match", query("q-match", "I lost my card, " + MARKER + " here"));
            queries.pipeInput(
                    "q-fallback", query("q-fallback", MARKER + " what a sunny afternoon"));
            queries.pipeInput("q-long", query("q-long", (MARKER + " ").repeat(40)));
            raw.pipeInput(
                    "q-raw".getBytes(StandardCharsets.UTF_8),
                    ("{\"text\": \"" + MARKER + "\"}").getBytes(StandardCharsets.UTF_8));
            driver.advanceWallClockTime(Duration.ofSeconds(1));
            feedback.pipeInput(
                    "q-match",
                    MatchFeedback.newBuilder()
                            .setQueryId("q-match")
                            .setOutcome(FeedbackOutcome.CORRECTED)
                            .setIntentId("refund")
                            .setSource("agent:1")
                            .setTimestamp(T0)
                            .build());
            feedback.pipeInput(
                    "q-fallback",
                    MatchFeedback.newBuilder()
                            .setQueryId("q-fallback")
                            .setOutcome(FeedbackOutcome.CORRECTED)
                            .setIntentId("no_such_intent")
                            .setSource("agent:1")
                            .setTimestamp(T0)
                            .build());
        } finally {
            System.setErr(originalErr);
            System.setOut(originalOut);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        originalErr.println("LogPrivacyTest captured " + logs.lines().count() + " log lines");
        assertFalse(
                logs.toLowerCase(Locale.ROOT).contains(MARKER.toLowerCase(Locale.ROOT)),
                "query text reached the logs:\n"
                        + logs.lines()
                                .filter(l -> l.toLowerCase(Locale.ROOT).contains("quixote"))
                                .toList());
        // The capture must have worked, and the lines must say where a record came from and which
        // model ran.
        assertTrue(
                logs.contains("Query q-match from " + PREFIX + "queries-0@"),
                "coordinates of a matched query:\n" + logs);
        assertTrue(logs.contains("model v1"), "the model version:\n" + logs);
        assertTrue(logs.contains("rejected: text-too-long"), "the dead letter's reason:\n" + logs);
    }

    private static SupportQuery query(String id, String text) {
        return SupportQuery.newBuilder()
                .setQueryId(id)
                .setText(text)
                .setChannel("chat")
                .setTimestamp(T0)
                .build();
    }
}
