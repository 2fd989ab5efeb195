package io.intentstream.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentSettingsTest {

    @Test
    void shouldMapPrefixedVariablesToDottedKeysWhenReadingTheEnvironment() {
        Map<String, String> env =
                Map.of(
                        "INTENT_STREAM_STREAMS_SASL_JAAS_CONFIG", "secret",
                        "INTENT_STREAM_BOOTSTRAP_SERVERS", "kafka:9092",
                        "INTENT_STREAM_SOME__DASHED_KEY", "x",
                        "PATH", "/usr/bin",
                        "INTENT_STREAM_", "ignored");
        assertEquals(
                Map.of(
                        "streams.sasl.jaas.config",
                        "secret",
                        "bootstrap.servers",
                        "kafka:9092",
                        "some-dashed.key",
                        "x"),
                EnvironmentSettings.from(env));
    }

    @Test
    void shouldRoundTripWhenKeyIsWrittenAsVariable() {
        for (String key :
                new String[] {
                    "streams.security.protocol",
                    "kafka.ssl.truststore.location",
                    "http.port",
                    "a-b.c"
                }) {
            assertEquals(key, EnvironmentSettings.toKey(EnvironmentSettings.toVariable(key)));
        }
        assertEquals(
                "INTENT_STREAM_STREAMS_SASL_JAAS_CONFIG",
                EnvironmentSettings.toVariable("streams.sasl.jaas.config"));
    }

    @Test
    void shouldRefuseWhenVariableLacksThePrefix() {
        assertThrows(
                IllegalArgumentException.class,
                () -> EnvironmentSettings.toKey("STREAMS_SASL_JAAS_CONFIG"));
    }
}
