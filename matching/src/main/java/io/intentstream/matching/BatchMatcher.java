package io.intentstream.matching;

import io.intentstream.encoder.SentenceEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches a batch of texts under one model version: texts → vectors → top-k intents → verdicts. The
 * stream processor, the HTTP lookup, the trainer's gate and threshold fitting, {@code evaluate
 * intent} and the backtest all match through this class, so they reach the same verdict for the
 * same text, model and intents.
 */
public final class BatchMatcher {

    private static final Logger log = LoggerFactory.getLogger(BatchMatcher.class);

    /** Queries scored against the index at once; bounds the (queries, rows) score matrix. */
    static final int QUERIES_PER_PASS = 256;

    /**
     * One text's outcome.
     *
     * @param candidates the top-k intents, best first
     * @param verdict the matched intent or why the text falls back
     */
    public record Match(List<ScoredIntent> candidates, Verdict verdict) {

        /** The matched intent's id, or {@code fallbackLabel} when the text falls back. */
        public String label(String fallbackLabel) {
            return verdict.matched() ? verdict.chosen().intentId() : fallbackLabel;
        }

        /** The best intent's score, matched or not; negative infinity for an empty catalog. */
        public float bestScore() {
            return candidates.isEmpty() ? Float.NEGATIVE_INFINITY : candidates.get(0).score();
        }
    }

    private final MatchRule rule;
    private final int topK;

    /**
     * @param rule decides between the best intent and a fallback
     * @param topK how many candidates a match carries (at least 1)
     */
    public BatchMatcher(MatchRule rule, int topK) {
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be at least 1, got " + topK);
        }
        this.rule = rule;
        this.topK = topK;
    }

    /** A matcher that always matches the best intent: what offline accuracy figures measure. */
    public static BatchMatcher nearestIntent() {
        return new BatchMatcher(MatchRule.NEVER_FALLBACK, 1);
    }

    public MatchRule rule() {
        return rule;
    }

    public int topK() {
        return topK;
    }

    /**
     * Embeds {@code texts} in one call; if that call fails as a whole (an exception, or the heap or
     * stack running out for it), each text alone, so that one text the model cannot take does not
     * block the others, nor stop the thread.
     *
     * @return (texts, dimension); a null row for a text that could not be embedded
     * @throws VectorDimensionException if the encoder returns a vector of the wrong length, a fault
     *     of the model rather than of a text
     */
    public float[][] embed(SentenceEncoder encoder, List<String> texts) {
        try {
            return checked(encoder, encoder.encode(texts));
        } catch (VectorDimensionException e) {
            throw e;
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError batchError) {
            // An error of one call (one text too much for the heap or the stack) is the batch's,
            // not the process's: the allocation failed as a whole, and the texts are retried alone.
            log.warn(
                    "Embedding a batch of {} texts failed; embedding them one by one",
                    texts.size(),
                    batchError);
            float[][] vectors = new float[texts.size()][];
            for (int i = 0; i < texts.size(); i++) {
                try {
                    vectors[i] = checked(encoder, new float[][] {encoder.encode(texts.get(i))})[0];
                } catch (VectorDimensionException e) {
                    throw e;
                } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                    vectors[i] = null;
                }
            }
            return vectors;
        }
    }

    /**
     * Matches embedded texts against {@code index}.
     *
     * @param vectors (texts, dimension); a null row gives a null match
     * @param neighbours how many of an intent's closest examples its score averages
     * @return one match per row of {@code vectors}, in order
     */
    public List<Match> match(IntentIndex index, float[][] vectors, int neighbours) {
        return match(index, vectors, neighbours, topK);
    }

    /** As {@link #match(IntentIndex, float[][], int)}, with {@code k} candidates per match. */
    public List<Match> match(IntentIndex index, float[][] vectors, int neighbours, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        IntentScore.requireValid(neighbours);
        List<Match> out = new ArrayList<>(vectors.length);
        float[][] present = Arrays.stream(vectors).filter(v -> v != null).toArray(float[][]::new);
        List<Match> matched = new ArrayList<>(present.length);
        for (int from = 0; from < present.length; from += QUERIES_PER_PASS) {
            float[][] pass =
                    Arrays.copyOfRange(
                            present, from, Math.min(present.length, from + QUERIES_PER_PASS));
            // At least two candidates, so that the rule can weigh the margin to the runner-up.
            for (List<ScoredIntent> top : index.topK(pass, Math.max(k, 2), neighbours)) {
                matched.add(
                        new Match(
                                List.copyOf(top.subList(0, Math.min(k, top.size()))),
                                rule.decide(top)));
            }
        }
        int next = 0;
        for (float[] v : vectors) {
            out.add(v == null ? null : matched.get(next++));
        }
        return out;
    }

    /**
     * Embeds and matches {@code texts} with one model: the encoder and the index must be of the
     * same version.
     *
     * @return one match per text, in order; null for a text that could not be embedded
     */
    public List<Match> match(
            SentenceEncoder encoder, IntentIndex index, List<String> texts, int neighbours) {
        return match(index, embed(encoder, texts), neighbours);
    }

    private static float[][] checked(SentenceEncoder encoder, float[][] vectors) {
        for (float[] v : vectors) {
            if (v.length != encoder.dimension()) {
                throw new VectorDimensionException(v.length, encoder.dimension());
            }
        }
        return vectors;
    }
}
