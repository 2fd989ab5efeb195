package io.intentstream.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Raw settings from the command line, later layers winning: a command's defaults, a properties
 * file, repeated {@code KEY=VALUE} options, then what the command itself must fix.
 */
public final class LayeredSettings {

    private LayeredSettings() {}

    /**
     * @param file a Java properties file, or null
     * @param keyValues {@code KEY=VALUE} strings as given to {@code option}
     * @param option the option's name, for the error on a malformed value
     */
    public static Map<String, Object> merge(
            Map<String, ?> defaults,
            Path file,
            List<String> keyValues,
            String option,
            Map<String, ?> overrides)
            throws IOException {
        Map<String, Object> out = new LinkedHashMap<>(defaults);
        if (file != null) {
            Properties props = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                props.load(reader);
            }
            props.stringPropertyNames().forEach(k -> out.put(k, props.getProperty(k).strip()));
        }
        for (String setting : keyValues) {
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(
                        option + " expects KEY=VALUE, got '" + setting + "'");
            }
            out.put(setting.substring(0, eq).strip(), setting.substring(eq + 1).strip());
        }
        out.putAll(overrides);
        return out;
    }
}
