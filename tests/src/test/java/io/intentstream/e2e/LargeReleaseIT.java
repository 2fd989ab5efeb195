package io.intentstream.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.avro.IntentEmbedding;
import io.intentstream.encoder.DjlSentenceEncoder;
import io.intentstream.encoder.ModelManifest;
import io.intentstream.local.service.DemoCatalog;
import io.intentstream.local.service.LocalService;
import io.intentstream.matching.IntentEmbeddings;
import io.intentstream.streams.app.IntentStreamApp;
import io.intentstream.streams.config.IntentStreamConfig;
import io.intentstream.streams.model.IntentVectorStore;
import io.intentstream.streams.topology.IntentTopology;
import io.intentstream.trainer.publish.ModelStore;
import io.intentstream.trainer.publish.ReleasePublisher;
import io.intentstream.trainer.publish.ReleaseRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release that ships 5,000 exemplars for one intent: the trainer's publisher splits the intent's
 * vectors over records that each fit, and a service instance swaps to the release and serves the
 * intent whole.
 */
@Tag("integration")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class LargeReleaseIT {

    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final int EXEMPLARS = 5_000;

    @RegisterExtension static final BrokerAndModel env = new BrokerAndModel();

    @TempDir Path tmp;

    @Test
    void shouldServeAnIntentWhoseReleaseShipsFiveThousandExemplarsWhenTheServiceSwapsToIt()
            throws Exception {
        Path store = tmp.resolve("store");
        IntentStreamConfig config =
                ServiceHarness.config(
                        env.kafka(),
                        "largerelease",
                        tmp.resolve("state"),
                        Map.of(IntentStreamConfig.MODEL_STORE_DIR_CONFIG, store.toString()));
        List<IntentDefinition> catalog = DemoCatalog.intents();
        String big = catalog.get(0).getIntentId().toString();
        List<String> exemplars = new ArrayList<>(EXEMPLARS);
        for (int i = 0; i < EXEMPLARS; i++) {
            exemplars.add("confirmed question number " + i + " about " + big.replace('_', ' '));
        }
        try (LocalService service =
                LocalService.start(config, ServiceHarness.createTopics(), env.model())) {
            ServiceHarness.serveCatalog(service, catalog, WAIT);

            String version = "v2";
            ReleaseRecord record;
            try (ModelStore models = new ModelStore(store)) {
                ModelManifest manifest =
                        models.store(
                                env.model(),
                                env.model().manifest().withVersion(version, env.model().version()),
                                Map.of(big, exemplars));
                record =
                        ReleaseRecord.builder(version, env.model().version())
                                .sequence(models.nextSequence())
                                .createdAt(System.currentTimeMillis())
                                .released(
                                        models.modelDir(version).toUri().toString(),
                                        manifest.sha256(),
                                        Map.of(),
                                        1,
                                        "five thousand exemplars");
            }
            try (DjlSentenceEncoder encoder = new DjlSentenceEncoder(env.model());
                    ReleasePublisher publisher =
                            new ReleasePublisher(
                                    service.clientConfig(),
                                    config.topicPrefix(),
                                    "largerelease-publisher")) {
                publisher.publish(
                        ReleasePublisher.release(record, null),
                        encoder,
                        catalog,
                        Map.of(big, exemplars));
            }

            IntentStreamApp app = service.app();
            Awaitility.await()
                    .atMost(WAIT)
                    .until(() -> app.models().currentVersion().equals(version));
            var intents =
                    app.streams()
                            .store(
                                    StoreQueryParameters.fromNameAndType(
                                            IntentTopology.INTENT_EMBEDDINGS_STORE,
                                            QueryableStoreTypes
                                                    .<String, IntentEmbedding>keyValueStore()));
            IntentEmbedding whole = IntentVectorStore.whole(intents, version, big).orElseThrow();
            int utterances = IntentEmbeddings.utterances(catalog.get(0)).size();
            assertEquals(utterances + EXEMPLARS, IntentEmbeddings.rows(whole));
            assertEquals(EXEMPLARS, whole.getExemplars());
            int parts = intents.get(version + "/" + big).getParts();
            assertTrue(parts > 1, "the intent's vectors span " + parts + " records");
            assertEquals(catalog.size(), app.catalogVectors().intents(version).size());

            var match =
                    app.lookup()
                            .match("confirmed question number 17 about " + big.replace('_', ' '));
            assertEquals(version, match.modelVersion());
            assertEquals(big, match.candidates().get(0).intentId());
        }
    }
}
