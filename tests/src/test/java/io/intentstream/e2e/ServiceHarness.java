package io.intentstream.e2e;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.local.broker.EmbeddedKafka;
import io.intentstream.local.service.LocalService;
import io.intentstream.local.service.OutcomeLedger;
import io.intentstream.local.service.OutcomeTail;
import io.intentstream.streams.config.IntentStreamConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What every integration test needs around the service: a unique application id and topic prefix
 * per test on the class's broker, the service started on those, and a ledger of its outcomes.
 */
final class ServiceHarness {

    private ServiceHarness() {}

    /** A configuration of its own for one test: unique application id and topics, HTTP off. */
    static IntentStreamConfig config(
            EmbeddedKafka kafka, String testName, Path stateDir, Map<String, ?> extra) {
        String id = testName + "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> settings = new HashMap<>();
        settings.put(IntentStreamConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        settings.put(IntentStreamConfig.APPLICATION_ID_CONFIG, "it-" + id);
        settings.put(IntentStreamConfig.TOPIC_PREFIX_CONFIG, "it." + id + ".");
        settings.put(IntentStreamConfig.HTTP_PORT_CONFIG, -1);
        settings.put(IntentStreamConfig.CATALOG_CHECK_INTERVAL_MS_CONFIG, 200);
        settings.put(IntentStreamConfig.STREAMS_PREFIX + "state.dir", stateDir.toString());
        // Small commits keep the waits short; exactly-once stays on (the service's default).
        settings.put(IntentStreamConfig.STREAMS_PREFIX + "commit.interval.ms", 100);
        // Kafka Streams does not leave its group on close, so a restarted instance waits for the
        // old
        // member's session to expire before it gets the partitions back: keep that short.
        settings.put(IntentStreamConfig.STREAMS_PREFIX + "consumer.session.timeout.ms", 10_000);
        settings.put(IntentStreamConfig.STREAMS_PREFIX + "consumer.heartbeat.interval.ms", 2_000);
        settings.putAll(extra);
        return new IntentStreamConfig(settings);
    }

    /** Launch options for a configured cluster: create the topics (2 partitions each). */
    static LocalService.Options createTopics() {
        return new LocalService.Options(2, true, null);
    }

    /**
     * Loads {@code catalog} into the service and waits until it serves exactly those intents.
     *
     * @return the model version that serves them
     */
    static String serveCatalog(LocalService service, List<IntentDefinition> catalog, Duration wait)
            throws InterruptedException {
        service.loadCatalog(catalog);
        return service.awaitCatalog(
                catalog.stream().map(i -> i.getIntentId().toString()).collect(Collectors.toSet()),
                true,
                wait);
    }

    /** Follows the service's outcome topics from their start into a new ledger. */
    static OutcomeTail follow(LocalService service, OutcomeLedger ledger) {
        return service.followOutcomes(true, ledger);
    }

    /**
     * Runs {@code mainClass} from this test's class path in a child JVM (DJL offline, 1 GB heap),
     * its output in {@code log}; a test kills it with {@link Process#destroyForcibly()} (SIGKILL).
     */
    static Process startJvm(
            Class<?> mainClass, List<String> jvmOptions, List<String> args, Path log)
            throws IOException {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Dai.djl.offline=true",
                                "-Xmx1g"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(args);
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OPT_OUT_TRACKING", "true");
        return builder.start();
    }

    /**
     * The service's own main ({@code IntentStreamApp}) in a child JVM with {@code config}'s
     * settings but {@code stateDir} as its state directory, its output in {@code log}.
     */
    static Process startService(IntentStreamConfig config, Path stateDir, Path log)
            throws IOException {
        List<String> args = new ArrayList<>();
        config.originals()
                .forEach(
                        (k, v) -> {
                            if (!k.equals(IntentStreamConfig.STREAMS_PREFIX + "state.dir")) {
                                args.add(k + "=" + v);
                            }
                        });
        args.add(IntentStreamConfig.STREAMS_PREFIX + "state.dir=" + stateDir);
        args.add(IntentStreamConfig.MODEL_DEVICE_CONFIG + "=cpu");
        return startJvm(io.intentstream.streams.app.IntentStreamApp.class, List.of(), args, log);
    }

    static IntentDefinition intent(String id, String route, List<String> examples) {
        return IntentDefinition.newBuilder()
                .setIntentId(id)
                .setName(id)
                .setRoute(route)
                .setExamples(examples)
                .build();
    }
}
