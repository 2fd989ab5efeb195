package io.intentstream.trainer.data;

import io.intentstream.encoder.SentenceEncoder;
import io.intentstream.trainer.evaluation.Vectors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Adds a hard negative to same-label (anchor, positive) pairs: the utterance of another label that
 * a model places closest to the anchor. This is sentence-transformers' {@code mine_hard_negatives}
 * with one negative per pair, taken from the top, where the labels rule out false negatives: an
 * utterance of the anchor's own label is never its negative.
 *
 * <p>MultipleNegativesRankingLoss then ranks each anchor's positive above the intent it is most
 * easily confused with, not only above the random intents of its batch.
 *
 * <p>This is the offline recipe for a labelled file ({@code fit --hard-negatives}). The trainer job
 * picks its negatives differently, from live traffic: the intents that corrected matches wrongly
 * chose and the nearest intent centroids ({@code TrainingData.confusers}), because it has the
 * service's mistakes to learn from and no fixed file to embed.
 */
public final class HardNegativeMiner {

    private HardNegativeMiner() {}

    /**
     * @param pairs (anchor, positive) examples labelled with their class, e.g. from {@link
     *     LabelledPairs#anchorPositivePairs}
     * @param labelled the one-text labelled examples the negatives are drawn from
     * @param encoder the model that finds the closest utterances (normalised vectors)
     * @return the pairs as (anchor, positive, negative), in the same order; a pair whose label has
     *     no other label to draw from is kept without a negative
     */
    public static List<InputExample> mine(
            List<InputExample> pairs, List<InputExample> labelled, SentenceEncoder encoder) {
        List<String> texts = new ArrayList<>();
        List<Float> labelList = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (InputExample e : labelled) {
            if (e.texts().size() != 1 || e.label() == null) {
                throw new IllegalArgumentException(
                        "expected one-text examples with a class label, got " + e);
            }
            if (index.putIfAbsent(e.text(0), texts.size()) == null) {
                texts.add(e.text(0));
                labelList.add(e.label());
            }
        }
        float[] labels = new float[labelList.size()]; // unboxed: the inner loop compares every pair
        for (int i = 0; i < labels.length; i++) {
            labels[i] = labelList.get(i);
        }
        float[][] vectors = encoder.encode(texts);
        List<InputExample> out = new ArrayList<>(pairs.size());
        int[] negatives =
                IntStream.range(0, pairs.size())
                        .parallel()
                        .map(
                                i ->
                                        closestOfAnotherLabel(
                                                pairs.get(i),
                                                texts,
                                                labels,
                                                vectors,
                                                index,
                                                encoder))
                        .toArray();
        for (int i = 0; i < pairs.size(); i++) {
            InputExample pair = pairs.get(i);
            out.add(
                    negatives[i] < 0
                            ? pair
                            : new InputExample(
                                    List.of(pair.text(0), pair.text(1), texts.get(negatives[i])),
                                    pair.label()));
        }
        return out;
    }

    private static int closestOfAnotherLabel(
            InputExample pair,
            List<String> texts,
            float[] labels,
            float[][] vectors,
            Map<String, Integer> index,
            SentenceEncoder encoder) {
        Integer at = index.get(pair.text(0));
        float[] anchor = at != null ? vectors[at] : encoder.encode(pair.text(0));
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < texts.size(); j++) {
            if (labels[j] == pair.label()) {
                continue;
            }
            double score = Vectors.dot(anchor, vectors[j]);
            if (score > bestScore) {
                bestScore = score;
                best = j;
            }
        }
        return best;
    }
}
