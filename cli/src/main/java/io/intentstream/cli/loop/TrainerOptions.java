package io.intentstream.cli.loop;

import io.intentstream.trainer.config.TrainerConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/** {@code --trainer-config FILE} and {@code --trainer-set KEY=VALUE} for the trainer job's {@link TrainerConfig}. */
public final class TrainerOptions {

    @Option(names = "--trainer-config", paramLabel = "FILE",
            description = "Trainer settings as a Java properties file (keys listed in the README; Kafka client settings under 'kafka.').")
    Path configFile;

    @Option(names = "--trainer-set", paramLabel = "KEY=VALUE",
            description = "One trainer setting, applied after --trainer-config; repeatable, e.g. --trainer-set schedule.min.new.examples=500.")
    List<String> settings = List.of();

    /** {@code defaults}, then the file's settings, then the {@code --trainer-set} ones, then {@code overrides}. */
    public TrainerConfig config(Map<String, ?> defaults, Map<String, ?> overrides) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>(defaults);
        if (configFile != null) {
            Properties props = new Properties();
            try (Reader reader = Files.newBufferedReader(configFile)) {
                props.load(reader);
            }
            props.stringPropertyNames().forEach(k -> out.put(k, props.getProperty(k).strip()));
        }
        for (String setting : settings) {
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--trainer-set expects KEY=VALUE, got '" + setting + "'");
            }
            out.put(setting.substring(0, eq).strip(), setting.substring(eq + 1).strip());
        }
        out.putAll(overrides);
        return new TrainerConfig(out);
    }
}
