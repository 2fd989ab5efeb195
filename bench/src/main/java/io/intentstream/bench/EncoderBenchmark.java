package io.intentstream.bench;

import io.intentstream.encoder.SentenceEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Embeds a list of texts with one encoder configuration and measures throughput, per-call latency
 * and peak RSS. Calls are made {@code batchSize} texts at a time, in input order, as a client
 * would; length-sorted configurations sort inside the encoder.
 */
public final class EncoderBenchmark {

    /** One measured configuration. */
    public record Result(
            String engine,
            String config,
            int batchSize,
            int texts,
            double seconds,
            double p50Millis,
            double p99Millis,
            double peakRssMiB) {

        public double sentencesPerSecond() {
            return texts / seconds;
        }
    }

    private final List<String> texts;
    private final int warmupTexts;

    public EncoderBenchmark(List<String> texts, int warmupTexts) {
        this.texts = List.copyOf(texts);
        this.warmupTexts = warmupTexts;
    }

    /**
     * Measures {@code encoder}. With {@code wholeListPerCall} the encoder receives all texts at
     * once (and batches them itself, e.g. sorted by length); otherwise one call per {@code
     * batchSize} texts.
     */
    public Result run(
            String engine,
            String config,
            int batchSize,
            boolean wholeListPerCall,
            Supplier<SentenceEncoder> encoderFactory) {
        try (SentenceEncoder encoder = encoderFactory.get()) {
            List<List<String>> calls =
                    wholeListPerCall
                            ? chunks(texts, Math.max(batchSize, 1024))
                            : chunks(texts, batchSize);
            for (List<String> call :
                    chunks(texts.subList(0, Math.min(warmupTexts, texts.size())), batchSize)) {
                encoder.encode(call);
            }
            ProcessMemory.resetPeak();
            long[] latencies = new long[calls.size()];
            long start = System.nanoTime();
            for (int i = 0; i < calls.size(); i++) {
                long t0 = System.nanoTime();
                encoder.encode(calls.get(i));
                latencies[i] = System.nanoTime() - t0;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            LatencyStats stats = LatencyStats.of(latencies);
            return new Result(
                    engine,
                    config,
                    batchSize,
                    texts.size(),
                    seconds,
                    stats.percentileMillis(50),
                    stats.percentileMillis(99),
                    ProcessMemory.peakRssMiB());
        }
    }

    static List<List<String>> chunks(List<String> all, int size) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            out.add(all.subList(i, Math.min(all.size(), i + size)));
        }
        return out;
    }
}
