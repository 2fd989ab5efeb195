package io.intentstream.trainer.job;

import io.intentstream.schemas.EnvironmentSettings;
import io.intentstream.trainer.config.TrainerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the trainer job as its own process: the container's entry point, and what the launcher's
 * {@code intent-stream trainer} runs with its options. Settings come from, in rising order: a
 * properties file, {@code INTENT_STREAM_*} environment variables ({@link EnvironmentSettings}),
 * then {@code key=value} arguments. Progress and release metrics go to {@code
 * <state.dir>/metrics.prom} (Prometheus text format).
 */
public final class TrainerMain {

    private static final Logger log = LoggerFactory.getLogger(TrainerMain.class);

    /** Name of the metrics file inside {@code state.dir}. */
    public static final String METRICS_FILE = "metrics.prom";

    /**
     * System property for fault tests only: a file path. When set, the job writes that file and
     * then waits, for good, inside the first release's transaction (model stored, vectors and
     * release sent, nothing committed), so that a test can kill the process at that moment.
     */
    public static final String PAUSE_BEFORE_COMMIT_PROPERTY =
            "intentstream.trainer.pause.before.commit";

    private TrainerMain() {}

    /**
     * The settings from {@code args} and {@code environment}, arguments winning, then environment,
     * then files.
     */
    static Map<String, String> settings(String[] args, Map<String, String> environment)
            throws IOException {
        Map<String, String> settings = new HashMap<>(EnvironmentSettings.from(environment));
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
                        .forEach(k -> settings.putIfAbsent(k, file.getProperty(k).strip()));
            }
        }
        return settings;
    }

    /**
     * @param args optional: a properties file, then {@code key=value} overrides
     */
    public static void main(String[] args) throws Exception {
        TrainerConfig config = new TrainerConfig(settings(args, System.getenv()));
        runUntilShutdown(
                config, pauseBeforeCommit(System.getProperty(PAUSE_BEFORE_COMMIT_PROPERTY)));
    }

    /**
     * Runs the trainer job until the JVM is asked to shut down (Ctrl-C, SIGTERM), then lets the
     * current step finish: the entry point of the container and of {@code intent-stream trainer}.
     *
     * @param beforeCommit runs inside each release's transaction before its commit
     */
    public static void runUntilShutdown(TrainerConfig config, Runnable beforeCommit)
            throws IOException {
        AtomicBoolean stop = new AtomicBoolean();
        Thread main = Thread.currentThread();
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    stop.set(true);
                                    try {
                                        main.join(120_000);
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                },
                                "trainer-shutdown"));
        run(config, beforeCommit, stop::get, Clock.systemUTC());
    }

    /**
     * Runs the job until {@code stop} says so, keeping {@value #METRICS_FILE} in the state
     * directory up to date.
     */
    static void run(TrainerConfig config, Runnable beforeCommit, BooleanSupplier stop, Clock clock)
            throws IOException {
        TrainerJob[] job = new TrainerJob[1];
        TrainerMetricsFile metrics =
                new TrainerMetricsFile(
                        config.stateDir().resolve(METRICS_FILE),
                        () -> job[0] == null ? 0 : job[0].trainingSet().nextSequence(),
                        () -> job[0] == null ? 0 : job[0].trainingSet().newExamples());
        try (TrainerJob running = new TrainerJob(config, metrics, beforeCommit, clock)) {
            job[0] = running;
            metrics.releases(running.modelStore().history());
            log.info("Trainer metrics in {}", metrics.file());
            log.info(
                    "Trainer started: {} examples stored ({} new), model store {}",
                    running.trainingSet().nextSequence(),
                    running.trainingSet().newExamples(),
                    running.modelStore().root());
            while (!stop.getAsBoolean()) {
                running.ingest();
                if (running.runIfDue().isPresent()) {
                    metrics.releases(running.modelStore().history());
                } else {
                    metrics.write();
                }
            }
        }
    }

    /**
     * Nothing, or (with a marker file) a pause that announces itself in that file and lasts until
     * the process ends.
     */
    static Runnable pauseBeforeCommit(String markerFile) {
        if (markerFile == null || markerFile.isBlank()) {
            return () -> {};
        }
        return () -> {
            log.warn(
                    "Pausing inside the release transaction before its commit ({} is set)",
                    PAUSE_BEFORE_COMMIT_PROPERTY);
            try {
                Files.writeString(Path.of(markerFile), "paused before commit\n");
                new CountDownLatch(1).await();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + markerFile, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }
}
