package io.intentstream.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.intentstream.schemas.EnvironmentSettings;
import io.intentstream.streams.config.IntentStreamConfig;
import io.intentstream.trainer.config.TrainerConfig;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * No Docker engine runs in CI, so the files under docker/ are checked against the code instead: the
 * Maven modules, profiles and jar names they build, the main classes they start, the config keys
 * they set (properties files and INTENT_STREAM_* variables), the ports and the model volume.
 */
class DockerFilesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path DOCKER = ROOT.resolve("docker");
    private static final int HTTP_PORT =
            (Integer)
                    IntentStreamConfig.CONFIG
                            .defaultValues()
                            .get(IntentStreamConfig.HTTP_PORT_CONFIG);

    /** What one Dockerfile builds and runs. */
    private record Dockerfile(Path path, List<String> lines) {

        static Dockerfile read(Path path) throws IOException {
            // Join continuation lines, drop comments.
            List<String> out = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : Files.readAllLines(path)) {
                if (line.strip().startsWith("#")) {
                    continue;
                }
                if (line.endsWith("\\")) {
                    current.append(line, 0, line.length() - 1).append(' ');
                } else {
                    out.add(current.append(line).toString().strip());
                    current.setLength(0);
                }
            }
            return new Dockerfile(path, out);
        }

        List<String> instructions(String name) {
            return lines.stream()
                    .filter(l -> l.startsWith(name + " "))
                    .map(l -> l.substring(name.length() + 1).strip())
                    .toList();
        }

        boolean isTrainer() {
            return path.getFileName().toString().contains("trainer");
        }
    }

    private static List<Dockerfile> dockerfiles() throws IOException {
        try (Stream<Path> files = Files.list(DOCKER)) {
            List<Dockerfile> out = new ArrayList<>();
            for (Path p :
                    files.filter(p -> p.getFileName().toString().startsWith("Dockerfile"))
                            .sorted()
                            .toList()) {
                out.add(Dockerfile.read(p));
            }
            return out;
        }
    }

    @Test
    void shouldBuildExistingModulesAndProfilesWhenDockerfilesRunMaven() throws IOException {
        String parentPom = Files.readString(ROOT.resolve("pom.xml"));
        List<Dockerfile> files = dockerfiles();
        assertTrue(files.size() >= 4, "service, trainer and their GPU variants: " + files);
        for (Dockerfile f : files) {
            String build =
                    f.instructions("RUN").stream()
                            .filter(r -> r.contains("mvn "))
                            .findFirst()
                            .orElseThrow(
                                    () -> new AssertionError(f.path() + " has no Maven build"));
            Matcher module = Pattern.compile("-pl (\\S+)").matcher(build);
            assertTrue(module.find(), f.path() + ": -pl MODULE");
            String name = module.group(1);
            assertEquals(f.isTrainer() ? "trainer" : "streams-app", name, f.path().toString());
            assertTrue(
                    parentPom.contains("<module>" + name + "</module>"),
                    name + " is a module of the parent pom");
            String artifactId = artifactId(ROOT.resolve(name).resolve("pom.xml"));
            assertTrue(
                    build.contains(name + "/target/" + artifactId + "-*.jar"),
                    f.path() + " copies " + artifactId + "'s jar: " + build);
            Matcher profile = Pattern.compile("-P(\\S+)").matcher(build);
            if (f.path().getFileName().toString().endsWith("-gpu")) {
                assertTrue(profile.find(), f.path() + " builds with the GPU profile");
                assertTrue(
                        parentPom.contains("<id>" + profile.group(1) + "</id>"),
                        "profile " + profile.group(1) + " in the parent pom");
                assertTrue(
                        f.instructions("FROM").stream()
                                .anyMatch(from -> from.startsWith("nvidia/cuda:12.4")),
                        f.path() + " runs on CUDA 12.4");
            }
            assertTrue(f.instructions("FROM").size() >= 2, f.path() + " is a multi-stage build");
            assertEquals(
                    List.of("10001"),
                    f.instructions("USER"),
                    f.path() + " runs as a non-root user");
        }
    }

    @Test
    void shouldStartExistingMainClassesAndCopyExistingFilesWhenDockerfilesRun() throws Exception {
        for (Dockerfile f : dockerfiles()) {
            String entrypoint = f.instructions("ENTRYPOINT").get(0);
            assertMainClass(
                    entrypoint,
                    f.isTrainer()
                            ? "io.intentstream.trainer.job.TrainerMain"
                            : "io.intentstream.streams.app.IntentStreamApp");
            for (String copy : f.instructions("COPY")) {
                if (copy.startsWith("--from") || copy.startsWith(". ")) {
                    continue;
                }
                Path source = ROOT.resolve(copy.split("\\s+")[0]);
                assertTrue(
                        Files.isRegularFile(source),
                        f.path() + " copies " + source + ", which must exist");
            }
            assertTrue(
                    f.lines().stream().anyMatch(l -> l.contains("-Dai.djl.offline=true")),
                    f.path() + " keeps DJL offline");
        }
    }

    @Test
    void shouldExposeTheDefaultHttpPortWhenTheServiceRuns() throws IOException {
        for (Dockerfile f : dockerfiles()) {
            if (f.isTrainer()) {
                continue;
            }
            assertEquals(
                    List.of(Integer.toString(HTTP_PORT)),
                    f.instructions("EXPOSE"),
                    f.path().toString());
            assertTrue(
                    f.instructions("HEALTHCHECK")
                            .get(0)
                            .contains("localhost:" + HTTP_PORT + "/health"),
                    f.path().toString());
        }
        assertEquals(
                Integer.toString(HTTP_PORT),
                properties("service.properties").getProperty(IntentStreamConfig.HTTP_PORT_CONFIG));
    }

    @Test
    void shouldNameOnlyKnownKeysWhenPropertiesFilesConfigureTheImages() throws IOException {
        Properties service = properties("service.properties");
        service.stringPropertyNames()
                .forEach(k -> assertServiceKey(k, "docker/service.properties"));
        new IntentStreamConfig(service);
        Properties trainer = properties("trainer.properties");
        trainer.stringPropertyNames()
                .forEach(k -> assertTrainerKey(k, "docker/trainer.properties"));
        new TrainerConfig(trainer);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldMatchTheCodeWhenComposeRunsKafkaTwoServicesAndTheTrainer() throws Exception {
        Map<String, Object> compose = yaml("compose.yaml");
        Map<String, Map<String, Object>> services =
                (Map<String, Map<String, Object>>) compose.get("services");
        assertTrue(
                String.valueOf(services.get("kafka").get("image")).startsWith("apache/kafka:"),
                "the official Kafka image");
        Map<String, Object> kafkaEnv =
                (Map<String, Object>) services.get("kafka").get("environment");
        assertTrue(
                String.valueOf(kafkaEnv.get("KAFKA_PROCESS_ROLES")).contains("controller"),
                "Kafka runs in KRaft mode");
        List<String> instances =
                services.keySet().stream().filter(s -> s.startsWith("service-")).toList();
        assertEquals(2, instances.size(), "two service instances: " + services.keySet());

        String modelStore =
                properties("trainer.properties").getProperty(TrainerConfig.MODEL_STORE_DIR_CONFIG);
        Map<String, Object> trainer = services.get("trainer");
        String trainerStore =
                String.valueOf(
                        env(trainer)
                                .getOrDefault(
                                        EnvironmentSettings.toVariable(
                                                TrainerConfig.MODEL_STORE_DIR_CONFIG),
                                        modelStore));
        String modelVolume = volumeAt(trainer, trainerStore);
        assertTrue(
                modelVolume != null
                        && ((Map<String, Object>) compose.get("volumes")).containsKey(modelVolume),
                "the trainer writes its model store " + trainerStore + " to a named volume");

        for (Map.Entry<String, Map<String, Object>> e : services.entrySet()) {
            String name = e.getKey();
            Map<String, Object> s = e.getValue();
            boolean isTrainer = name.equals("trainer");
            if (name.equals("kafka")) {
                assertTrue(s.containsKey("healthcheck"), "kafka has a health check");
                continue;
            }
            Map<String, Object> build = (Map<String, Object>) s.get("build");
            assertTrue(
                    Files.isRegularFile(
                            DOCKER.resolve("..")
                                    .resolve(String.valueOf(build.get("dockerfile")))
                                    .normalize()),
                    name + " builds from an existing Dockerfile");
            env(s).forEach(
                            (variable, value) -> {
                                if (variable.startsWith(EnvironmentSettings.PREFIX)) {
                                    String key = EnvironmentSettings.toKey(variable);
                                    if (isTrainer) {
                                        assertTrainerKey(key, "compose " + name + " " + variable);
                                    } else {
                                        assertServiceKey(key, "compose " + name + " " + variable);
                                    }
                                }
                            });
            if (name.startsWith("service-")) {
                List<String> ports = (List<String>) s.get("ports");
                assertTrue(
                        ports.stream().allMatch(p -> p.endsWith(":" + HTTP_PORT)),
                        name + " publishes the HTTP port " + HTTP_PORT + ": " + ports);
                assertTrue(
                        String.valueOf(((Map<String, Object>) s.get("healthcheck")).get("test"))
                                .contains(":" + HTTP_PORT + "/health"),
                        name + " checks /health");
                assertEquals(
                        modelVolume,
                        volumeAt(s, trainerStore),
                        name + " reads releases where the trainer writes them");
                Map<String, Object> dependsOn = (Map<String, Object>) s.get("depends_on");
                assertTrue(
                        dependsOn.containsKey("topics"), name + " starts after the topics exist");
            }
            if (isTrainer) {
                assertTrue(s.containsKey("healthcheck"), "the trainer has a health check");
            }
            if (name.equals("topics")) {
                assertMainClass(
                        String.valueOf(s.get("entrypoint")),
                        "io.intentstream.streams.app.TopicSetupMain");
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldReserveAGpuAndBuildTheGpuImagesWhenTheGpuOverlayIsUsed() throws IOException {
        Map<String, Map<String, Object>> base =
                (Map<String, Map<String, Object>>) yaml("compose.yaml").get("services");
        Map<String, Map<String, Object>> gpu =
                (Map<String, Map<String, Object>>) yaml("compose.gpu.yaml").get("services");
        assertFalse(gpu.isEmpty());
        for (Map.Entry<String, Map<String, Object>> e : gpu.entrySet()) {
            assertTrue(
                    base.containsKey(e.getKey()),
                    e.getKey() + " overlays a service of compose.yaml");
            Map<String, Object> s = e.getValue();
            String devices = String.valueOf(s.get("deploy"));
            assertTrue(
                    devices.contains("driver=nvidia") && devices.contains("capabilities=[gpu]"),
                    e.getKey() + " reserves a GPU: " + devices);
            String dockerfile =
                    String.valueOf(((Map<String, Object>) s.get("build")).get("dockerfile"));
            assertTrue(
                    dockerfile.endsWith("-gpu") && Files.isRegularFile(ROOT.resolve(dockerfile)),
                    e.getKey() + ": " + dockerfile);
            env(s).forEach(
                            (variable, value) -> {
                                String key = EnvironmentSettings.toKey(variable);
                                if (e.getKey().equals("trainer")) {
                                    assertTrainerKey(key, "compose.gpu " + variable);
                                } else {
                                    assertServiceKey(key, "compose.gpu " + variable);
                                }
                            });
        }
    }

    // --- helpers -----------------------------------------------------------------------------

    private static void assertMainClass(String command, String expected)
            throws ClassNotFoundException, NoSuchMethodException {
        assertTrue(command.contains(expected), "starts " + expected + ": " + command);
        Method main = Class.forName(expected).getMethod("main", String[].class);
        assertTrue(Modifier.isStatic(main.getModifiers()), expected + ".main is static");
    }

    private static void assertServiceKey(String key, String where) {
        if (IntentStreamConfig.CONFIG.names().contains(key)) {
            return;
        }
        if (key.startsWith(IntentStreamConfig.STREAMS_PREFIX)
                && isKafkaKey(key.substring(IntentStreamConfig.STREAMS_PREFIX.length()), true)) {
            return;
        }
        fail(
                where
                        + ": '"
                        + key
                        + "' is neither a key of IntentStreamConfig nor a Kafka Streams/client"
                        + " setting under 'streams.'");
    }

    private static void assertTrainerKey(String key, String where) {
        if (TrainerConfig.CONFIG.names().contains(key)) {
            return;
        }
        if (key.startsWith(TrainerConfig.KAFKA_PREFIX)
                && isKafkaKey(key.substring(TrainerConfig.KAFKA_PREFIX.length()), false)) {
            return;
        }
        fail(
                where
                        + ": '"
                        + key
                        + "' is neither a key of TrainerConfig nor a Kafka client setting under"
                        + " 'kafka.'");
    }

    private static boolean isKafkaKey(String key, boolean streams) {
        Set<String> names = new HashSet<>(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        if (streams) {
            names.addAll(StreamsConfig.configDef().names());
            for (String prefix :
                    List.of(
                            "producer.",
                            "consumer.",
                            "main.consumer.",
                            "restore.consumer.",
                            "global.consumer.",
                            "admin.")) {
                if (key.startsWith(prefix) && names.contains(key.substring(prefix.length()))) {
                    return true;
                }
            }
        }
        return names.contains(key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> env(Map<String, Object> service) {
        Object env = service.get("environment");
        return env == null ? Map.of() : (Map<String, Object>) env;
    }

    /** The named volume mounted at {@code path} in {@code service}, or null. */
    @SuppressWarnings("unchecked")
    private static String volumeAt(Map<String, Object> service, String path) {
        for (Object v : (List<Object>) service.getOrDefault("volumes", List.of())) {
            String[] parts = String.valueOf(v).split(":");
            if (parts.length >= 2 && parts[1].equals(path)) {
                return parts[0];
            }
        }
        return null;
    }

    private static Properties properties(String name) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(DOCKER.resolve(name))) {
            p.load(r);
        }
        return p;
    }

    private static Map<String, Object> yaml(String name) throws IOException {
        try (Reader r = Files.newBufferedReader(DOCKER.resolve(name))) {
            return new Yaml().load(r);
        }
    }

    private static String artifactId(Path pom) throws IOException {
        String xml = Files.readString(pom);
        // The module's own artifactId follows the </parent> element.
        Matcher m = Pattern.compile("</parent>\\s*<artifactId>([^<]+)</artifactId>").matcher(xml);
        assertTrue(m.find(), "artifactId in " + pom);
        return m.group(1);
    }
}
