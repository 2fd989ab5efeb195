package io.intentstream.streams.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The service's own meters, on one Micrometer registry: queries by outcome, batch sizes, embed and
 * match latency, dead letters by reason, training examples, and the model version in use (a gauge
 * of value 1 tagged with the version). Thread-safe.
 */
public final class ServiceMetrics {

    /** Key under which an instance travels through Kafka configs to the exception handlers. */
    public static final String CONFIG_KEY = "intentstream.service.metrics";

    private final MeterRegistry registry;
    private final Counter matched;
    private final Counter fallbacks;
    private final DistributionSummary batchSize;
    private final Timer embedLatency;
    private final Timer matchLatency;
    private final Counter trainingExamples;
    private final Counter intentsEmbedded;
    private final Counter invalidIntentVectors;
    private final ConcurrentMap<String, Counter> deadLetters = new ConcurrentHashMap<>();
    private final AtomicReference<String> modelVersion = new AtomicReference<>("");

    public ServiceMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.matched =
                Counter.builder("intentstream.queries")
                        .tag("outcome", "matched")
                        .description("Queries matched to an intent")
                        .register(registry);
        this.fallbacks =
                Counter.builder("intentstream.queries")
                        .tag("outcome", "fallback")
                        .description("Queries sent to human triage")
                        .register(registry);
        this.batchSize =
                DistributionSummary.builder("intentstream.batch.size")
                        .description("Queries embedded per call")
                        .publishPercentileHistogram()
                        .register(registry);
        this.embedLatency =
                Timer.builder("intentstream.embed.latency")
                        .description("Time to embed one micro-batch")
                        .publishPercentileHistogram()
                        .register(registry);
        this.matchLatency =
                Timer.builder("intentstream.match.latency")
                        .description("Time to search the intents for one query")
                        .publishPercentileHistogram()
                        .register(registry);
        this.trainingExamples =
                Counter.builder("intentstream.training.examples")
                        .description("Feedback turned into training examples")
                        .register(registry);
        this.intentsEmbedded =
                Counter.builder("intentstream.catalog.intents.embedded")
                        .description("Intents embedded (catalog changes and re-embeds)")
                        .register(registry);
        this.invalidIntentVectors =
                Counter.builder("intentstream.intent.vectors.invalid")
                        .description(
                                "Intent-vector records that cannot be matched against, left out of"
                                        + " matching")
                        .register(registry);
    }

    /** Meters that nobody scrapes, e.g. in tests. */
    public static ServiceMetrics noop() {
        return new ServiceMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void matched() {
        matched.increment();
    }

    public void fallback() {
        fallbacks.increment();
    }

    public void batch(int size, long embedNanos) {
        batchSize.record(size);
        embedLatency.record(embedNanos, TimeUnit.NANOSECONDS);
    }

    public void match(long nanos) {
        matchLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void trainingExample() {
        trainingExamples.increment();
    }

    public void intentEmbedded() {
        intentsEmbedded.increment();
    }

    public void invalidIntentVectors() {
        invalidIntentVectors.increment();
    }

    public void deadLetter(String reason) {
        deadLetters
                .computeIfAbsent(
                        reason,
                        r ->
                                Counter.builder("intentstream.dead.letters")
                                        .tag("reason", r)
                                        .description("Records sent to the dead-letter topic")
                                        .register(registry))
                .increment();
    }

    public double deadLetterCount(String reason) {
        Counter c = deadLetters.get(reason);
        return c == null ? 0 : c.count();
    }

    /**
     * Records the model version in use: one gauge of value 1 per version ever served, 0 for retired
     * ones.
     */
    public void modelVersion(String version) {
        String previous = modelVersion.getAndSet(version);
        if (!version.equals(previous)) {
            Gauge.builder(
                            "intentstream.model.version",
                            modelVersion,
                            ref -> version.equals(ref.get()) ? 1 : 0)
                    .tag("version", version)
                    .description("1 for the model version in use")
                    .strongReference(true)
                    .register(registry);
        }
    }
}
