package io.intentstream.cli;

import io.intentstream.local.service.LocalService;
import io.intentstream.streams.config.IntentStreamConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The service's configuration on the command line: a properties file, then {@code --set} overrides,
 * typed and checked by {@link IntentStreamConfig}. Also how the launcher sets up a broker and
 * topics around the service.
 */
public final class ServiceOptions {

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "Service settings as a Java properties file (keys listed in the README; Kafka"
                            + " settings under 'streams.').")
    Path configFile;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description =
                    "One setting, applied after --config; repeatable, e.g. --set"
                            + " matcher.threshold=0.6 --set streams.num.stream.threads=2.")
    List<String> settings = List.of();

    @Option(
            names = "--partitions",
            description =
                    "Partitions of each topic the launcher creates. Default: one per stream thread"
                            + " the service runs by default, twice the cores.")
    int partitions = LocalService.Options.defaultPartitions();

    @Option(
            names = "--create-topics",
            description =
                    "Create missing topics on a configured cluster too (the in-process broker"
                            + " always gets them).")
    boolean createTopics;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description =
                    "Keep the in-process broker's data (and the service's state) in DIR across"
                            + " runs; default: a temporary directory removed on exit.")
    Path dataDir;

    /**
     * The raw settings: {@code defaults}, then the file's, then the {@code --set} ones, then {@code
     * overrides}.
     */
    public Map<String, Object> originals(Map<String, ?> defaults, Map<String, ?> overrides)
            throws IOException {
        return LayeredSettings.merge(defaults, configFile, settings, "--set", overrides);
    }

    /**
     * Defaults for a service run of its own beside anything else on the cluster: application id
     * {@code intent-stream-RUNID}, topics under {@code intent-stream.RUNID.}, HTTP off.
     */
    public static Map<String, Object> ownRun(String runId) {
        return Map.of(
                IntentStreamConfig.APPLICATION_ID_CONFIG,
                "intent-stream-" + runId,
                IntentStreamConfig.TOPIC_PREFIX_CONFIG,
                "intent-stream." + runId + ".",
                IntentStreamConfig.HTTP_PORT_CONFIG,
                -1);
    }

    /** The typed configuration; fails with the offending key on a bad value. */
    public IntentStreamConfig config(Map<String, ?> defaults, Map<String, ?> overrides)
            throws IOException {
        return new IntentStreamConfig(originals(defaults, overrides));
    }

    /** How the launcher sets up the broker and topics. */
    public LocalService.Options launchOptions() {
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1");
        }
        return new LocalService.Options(partitions, createTopics, dataDir);
    }
}
