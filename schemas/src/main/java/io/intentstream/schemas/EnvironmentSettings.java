package io.intentstream.schemas;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The deployment convention, shared by the service and the trainer, for taking settings (and
 * secrets) from environment variables: {@code INTENT_STREAM_} + the key in upper case with each
 * {@code .} written as {@code _}, and a literal {@code -} written as {@code __}.
 *
 * <pre>
 * INTENT_STREAM_BOOTSTRAP_SERVERS          -> bootstrap.servers
 * INTENT_STREAM_STREAMS_SASL_JAAS_CONFIG   -> streams.sasl.jaas.config   (service)
 * INTENT_STREAM_KAFKA_SSL_KEYSTORE_PASSWORD -> kafka.ssl.keystore.password (trainer)
 * </pre>
 *
 * <p>Only the {@code main} methods call this; values are never logged here (they may be secrets),
 * and Kafka's own config logging masks password-typed keys.
 */
public final class EnvironmentSettings {

    public static final String PREFIX = "INTENT_STREAM_";

    private EnvironmentSettings() {}

    /** The settings named by the variables of {@code environment} that carry {@link #PREFIX}. */
    public static Map<String, String> from(Map<String, String> environment) {
        Map<String, String> out = new TreeMap<>();
        environment.forEach(
                (name, value) -> {
                    if (name.startsWith(PREFIX) && name.length() > PREFIX.length()) {
                        out.put(toKey(name), value);
                    }
                });
        return out;
    }

    /** {@code INTENT_STREAM_STREAMS_SASL_JAAS_CONFIG} → {@code streams.sasl.jaas.config}. */
    public static String toKey(String variable) {
        if (!variable.startsWith(PREFIX)) {
            throw new IllegalArgumentException(variable + " does not start with " + PREFIX);
        }
        return variable.substring(PREFIX.length())
                .replace("__", "-")
                .replace('_', '.')
                .toLowerCase(Locale.ROOT);
    }

    /** {@code streams.sasl.jaas.config} → {@code INTENT_STREAM_STREAMS_SASL_JAAS_CONFIG}. */
    public static String toVariable(String key) {
        return PREFIX + key.replace("-", "__").replace('.', '_').toUpperCase(Locale.ROOT);
    }
}
