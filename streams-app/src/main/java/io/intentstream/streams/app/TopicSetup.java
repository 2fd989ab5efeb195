package io.intentstream.streams.app;

import io.intentstream.schemas.Topic;
import io.intentstream.schemas.Topics;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the service's topics that do not exist yet, with their settings (compaction, retention).
 */
public final class TopicSetup {

    private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);

    private TopicSetup() {}

    /**
     * @param partitions partitions of every topic; queries and feedback must have the same count
     * @return the names of the topics created
     */
    public static List<String> ensureTopics(
            Admin admin, String prefix, int partitions, short replicationFactor)
            throws InterruptedException, ExecutionException {
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> missing =
                Topics.all(prefix).stream()
                        .filter(t -> !existing.contains(t.name()))
                        .map((Topic<?, ?> t) -> t.newTopic(partitions, replicationFactor))
                        .toList();
        if (!missing.isEmpty()) {
            admin.createTopics(missing).all().get();
            log.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
        }
        return missing.stream().map(NewTopic::name).toList();
    }
}
