package io.intentstream.local.service;

import io.intentstream.streams.config.IntentStreamConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Settings for the launcher's own producers and consumers (catalog loading, sample queries, reading
 * outcomes): the service's bootstrap servers plus the connection and security settings given to the
 * service under {@code streams.}, so that they reach the same cluster the same way.
 */
public final class KafkaClients {

    private KafkaClients() {}

    public static Map<String, Object> config(IntentStreamConfig config) {
        Map<String, Object> out = new HashMap<>();
        config.originalsWithPrefix(IntentStreamConfig.STREAMS_PREFIX)
                .forEach(
                        (k, v) -> {
                            if (k.startsWith("security.")
                                    || k.startsWith("sasl.")
                                    || k.startsWith("ssl.")
                                    || k.equals("client.dns.lookup")) {
                                out.put(k, v);
                            }
                        });
        out.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return out;
    }
}
