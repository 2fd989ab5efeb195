package io.intentstream.streams.app;

import io.intentstream.streams.config.IntentStreamConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Creates the service's topics that do not exist yet, then exits: a one-shot step before the first
 * instance starts (e.g. an init container). Reads the same settings as the service ({@link
 * ServiceSettings}: files, {@code INTENT_STREAM_*} variables, {@code key=value}); the partition
 * count and replication factor come from {@code TOPIC_PARTITIONS} (default 6) and {@code
 * TOPIC_REPLICATION_FACTOR} (default 3) in the environment.
 */
public final class TopicSetupMain {

    private TopicSetupMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        IntentStreamConfig config = new IntentStreamConfig(ServiceSettings.read(args, env));
        int partitions = Integer.parseInt(env.getOrDefault("TOPIC_PARTITIONS", "6"));
        short replication = Short.parseShort(env.getOrDefault("TOPIC_REPLICATION_FACTOR", "3"));
        Properties streams = config.streamsProperties(Map.of());
        Map<String, Object> admin = new HashMap<>();
        for (String name : AdminClientConfig.configNames()) {
            if (streams.containsKey(name)) {
                admin.put(name, streams.get(name));
            }
        }
        try (Admin client = Admin.create(admin)) {
            List<String> created =
                    TopicSetup.ensureTopics(client, config.topicPrefix(), partitions, replication);
            System.out.println("topics created: " + created.size() + " " + created);
        }
    }
}
