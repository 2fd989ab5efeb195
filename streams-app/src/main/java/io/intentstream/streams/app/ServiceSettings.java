package io.intentstream.streams.app;

import io.intentstream.schemas.EnvironmentSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The service's settings as its entry points read them, in rising order: properties files, {@code
 * INTENT_STREAM_*} environment variables ({@link EnvironmentSettings}; e.g. {@code
 * INTENT_STREAM_STREAMS_SASL_JAAS_CONFIG} → {@code streams.sasl.jaas.config}), then {@code
 * key=value} arguments. Values are never logged here: they may be secrets.
 */
public final class ServiceSettings {

    private ServiceSettings() {}

    /**
     * @param args properties files and {@code key=value} overrides, in any order
     * @param environment the process environment
     */
    public static Map<String, String> read(String[] args, Map<String, String> environment)
            throws IOException {
        Map<String, String> settings = new HashMap<>(EnvironmentSettings.from(environment));
        Map<String, String> files = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq > 0) {
                settings.put(arg.substring(0, eq), arg.substring(eq + 1));
            } else {
                Properties file = new Properties();
                try (InputStream in = Files.newInputStream(Path.of(arg))) {
                    file.load(in);
                }
                file.stringPropertyNames()
                        .forEach(k -> files.putIfAbsent(k, file.getProperty(k).strip()));
            }
        }
        files.forEach(settings::putIfAbsent);
        return settings;
    }
}
