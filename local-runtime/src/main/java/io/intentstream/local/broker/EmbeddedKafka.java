package io.intentstream.local.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker in KRaft mode (combined broker and controller), running in this JVM.
 * It is the real {@code kafka_2.13} server: storage is formatted with Kafka's own {@link Formatter}
 * and the node is {@link KafkaRaftServer}, exactly as {@code kafka-storage.sh format} followed by
 * {@code kafka-server-start.sh} would do. It binds 127.0.0.1 only, on free ports.
 *
 * <p>Settings are those of a one-node cluster: replication factor 1 for internal topics and a
 * transaction-state minimum ISR of 1, so that exactly-once processing works.
 *
 * <p>Kafka's {@code KafkaClusterTestKit} does not replace it: it always formats a fresh base
 * directory (so it cannot start again on the data of an earlier run, as {@code run --data-dir}
 * needs), binds new ports on every build (so a node cannot come back at the same address after a
 * stop, as a broker outage needs), and installs test-only fault handlers and unstable features.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final int START_ATTEMPTS = 3;

    private final Path dataDir;
    private final boolean deleteOnClose;
    private final Map<String, ?> overrides;
    private final int brokerPort;
    private final int controllerPort;
    private final String bootstrapServers;

    /** The running node, or null between {@link #stop()} and {@link #restart()}. */
    private KafkaRaftServer server;

    private boolean closed;

    private EmbeddedKafka(
            Path dataDir,
            boolean deleteOnClose,
            Map<String, ?> overrides,
            int brokerPort,
            int controllerPort,
            KafkaRaftServer server) {
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
        this.overrides = Map.copyOf(overrides);
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.server = server;
        this.bootstrapServers = HOST + ":" + brokerPort;
    }

    /** Starts a broker on a fresh temporary directory that is deleted on {@link #close()}. */
    public static EmbeddedKafka start() {
        try {
            return start(Files.createTempDirectory("intent-stream-kafka-"), true, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the broker's data", e);
        }
    }

    /**
     * Starts a broker whose data lives in {@code dataDir}. A directory formatted by an earlier run
     * is reused as it is (its topics and offsets survive); an empty one is formatted first.
     *
     * @param deleteOnClose delete {@code dataDir} when the broker stops
     * @param overrides extra broker settings, applied last
     */
    public static EmbeddedKafka start(
            Path dataDir, boolean deleteOnClose, Map<String, ?> overrides) {
        RuntimeException last = null;
        // The ports are chosen free but bound only later by the broker; another process may take
        // one
        // in between, so a bind failure is retried on new ports.
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return startOnce(dataDir, deleteOnClose, overrides);
            } catch (RuntimeException e) {
                last = e;
                log.warn("broker start attempt {} failed: {}", attempt, e.toString());
            }
        }
        throw last;
    }

    private static EmbeddedKafka startOnce(
            Path dataDir, boolean deleteOnClose, Map<String, ?> overrides) {
        int brokerPort = freePort();
        int controllerPort = freePort();
        KafkaRaftServer server = startServer(dataDir, overrides, brokerPort, controllerPort);
        return new EmbeddedKafka(
                dataDir, deleteOnClose, overrides, brokerPort, controllerPort, server);
    }

    private static KafkaRaftServer startServer(
            Path dataDir, Map<String, ?> overrides, int brokerPort, int controllerPort) {
        Path logDir = dataDir.resolve("kraft-combined-logs");
        Map<String, Object> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put(
                "listeners",
                "PLAINTEXT://"
                        + HOST
                        + ":"
                        + brokerPort
                        + ",CONTROLLER://"
                        + HOST
                        + ":"
                        + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("num.partitions", "1");
        props.put("auto.create.topics.enable", "false");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // The log cleaner's default 128 MiB dedupe buffer is far more than one node of demo data
        // needs.
        props.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        props.putAll(overrides);
        KafkaConfig config = new KafkaConfig(props, false);

        try {
            Files.createDirectories(logDir);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(logDir);
            }
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot format Kafka storage in " + logDir + ": " + e.getMessage(), e);
        }

        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        String bootstrap = HOST + ":" + brokerPort;
        try {
            server.startup();
            awaitReady(bootstrap, Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            stopQuietly(server);
            throw e;
        }
        log.info(
                "Kafka broker (KRaft, node {}) listening on {}, data in {}",
                NODE_ID,
                bootstrap,
                dataDir);
        return server;
    }

    private static void format(Path logDir) throws Exception {
        new Formatter()
                .setPrintStream(
                        new PrintStream(new LoggingOutputStream(), true, StandardCharsets.UTF_8))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setControllerListenerName("CONTROLLER")
                .run();
    }

    private static void awaitReady(String bootstrap, Duration timeout) {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                "Kafka broker on "
                                        + bootstrap
                                        + " did not become ready in "
                                        + timeout,
                                e);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the broker", e);
                }
            }
        }
    }

    /** The {@code bootstrap.servers} value that reaches this broker. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Where this broker keeps its data. */
    public Path dataDir() {
        return dataDir;
    }

    /** Creates the topics that do not exist yet; existing topics are left as they are. */
    public void createTopics(Collection<NewTopic> topics) {
        createTopics(bootstrapServers, topics);
    }

    /**
     * Creates the topics that do not exist yet on any cluster; existing topics are left as they
     * are.
     */
    public static void createTopics(String bootstrapServers, Collection<NewTopic> topics) {
        try (Admin admin =
                Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing =
                    topics.stream()
                            .filter(t -> !existing.contains(t.name()))
                            .collect(Collectors.toList());
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "cannot create topic "
                                        + entry.getKey()
                                        + ": "
                                        + e.getCause().getMessage(),
                                e);
                    }
                }
            }
            if (!missing.isEmpty()) {
                log.info(
                        "created topics {}",
                        missing.stream().map(NewTopic::name).collect(Collectors.toList()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "cannot list topics on " + bootstrapServers + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops the broker (a controlled shutdown) and keeps its data and ports, so that {@link
     * #restart()} brings the same node back at the same address. Clients see an outage meanwhile.
     */
    public synchronized void stop() {
        if (closed) {
            throw new IllegalStateException("the broker on " + bootstrapServers + " is closed");
        }
        if (server != null) {
            stopQuietly(server);
            server = null;
            log.info("Kafka broker on {} stopped; data kept in {}", bootstrapServers, dataDir);
        }
    }

    /**
     * Starts the broker again after {@link #stop()}: the same data directory (its topics, offsets
     * and transactions), the same ports and settings. Returns once it answers requests. The ports
     * were released by the stop; should another process have taken one meanwhile, this fails.
     */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("the broker on " + bootstrapServers + " is closed");
        }
        if (server != null) {
            throw new IllegalStateException(
                    "the broker on " + bootstrapServers + " is running; stop() it first");
        }
        server = startServer(dataDir, overrides, brokerPort, controllerPort);
    }

    /** Stops the broker and waits for it; deletes its data when it was started that way. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            stopQuietly(server);
            server = null;
        }
        if (deleteOnClose) {
            try {
                Utils.delete(dataDir.toFile());
            } catch (IOException e) {
                log.warn("could not delete the broker's data in {}: {}", dataDir, e.toString());
            }
        }
        log.info("Kafka broker on {} stopped", bootstrapServers);
    }

    private static void stopQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("error while stopping the broker: {}", e.toString());
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }

    /** Sends the formatter's console output to the log, line by line. */
    private static final class LoggingOutputStream extends OutputStream {
        private final StringBuilder line = new StringBuilder();

        @Override
        public void write(int b) {
            if (b == '\n') {
                flushLine();
            } else {
                line.append((char) b);
            }
        }

        @Override
        public void flush() {
            flushLine();
        }

        private void flushLine() {
            if (line.length() > 0) {
                log.debug("storage format: {}", line);
                line.setLength(0);
            }
        }
    }
}
