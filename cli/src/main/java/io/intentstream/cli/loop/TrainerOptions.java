package io.intentstream.cli.loop;

import io.intentstream.cli.LayeredSettings;
import io.intentstream.trainer.config.TrainerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --trainer-config FILE} and {@code --trainer-set KEY=VALUE} for the trainer job's {@link
 * TrainerConfig}.
 */
public final class TrainerOptions {

    @Option(
            names = "--trainer-config",
            paramLabel = "FILE",
            description =
                    "Trainer settings as a Java properties file (keys listed in the README; Kafka"
                            + " client settings under 'kafka.').")
    Path configFile;

    @Option(
            names = "--trainer-set",
            paramLabel = "KEY=VALUE",
            description =
                    "One trainer setting, applied after --trainer-config; repeatable, e.g."
                            + " --trainer-set schedule.min.new.examples=500.")
    List<String> settings = List.of();

    /**
     * {@code defaults}, then the file's settings, then the {@code --trainer-set} ones, then {@code
     * overrides}.
     */
    public TrainerConfig config(Map<String, ?> defaults, Map<String, ?> overrides)
            throws IOException {
        return new TrainerConfig(
                LayeredSettings.merge(defaults, configFile, settings, "--trainer-set", overrides));
    }
}
