package io.intentstream.trainer.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds training pairs and triplets from labelled utterances, for losses that learn from (anchor,
 * positive[, negative]) texts such as MultipleNegativesRankingLoss and TripletLoss.
 *
 * <p>Input examples hold one text and its class index as label ({@link #indexed}, or {@link
 * DataFormat#LABELLED}). Within each label the utterances are shuffled with the seed and each is
 * paired with the next one in that order, the last with the first: every utterance is an anchor
 * exactly once and a positive exactly once, and never its own positive. A label with a single
 * utterance has no positive and is left out (logged). Each pair keeps the anchor's class index as
 * its label, so that a label-aware batch sampler can keep same-label pairs apart.
 */
public final class LabelledPairs {

    private static final Logger log = LoggerFactory.getLogger(LabelledPairs.class);

    private LabelledPairs() {}

    /**
     * One-text examples labelled with the class index; labels are numbered in sorted order of their
     * names.
     */
    public static List<InputExample> indexed(List<LabelledText> rows) {
        Map<String, Integer> index = ExampleReader.labelIndex(rows);
        List<InputExample> out = new ArrayList<>(rows.size());
        for (LabelledText r : rows) {
            out.add(new InputExample(List.of(r.text()), (float) index.get(r.label())));
        }
        return out;
    }

    /** Same-label (anchor, positive) pairs, one per utterance of every label with two or more. */
    public static List<InputExample> anchorPositivePairs(List<InputExample> labelled, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<InputExample> out = new ArrayList<>(labelled.size());
        for (Map.Entry<Float, List<String>> group : byLabel(labelled).entrySet()) {
            List<String> texts = group.getValue();
            int[] order = permutation(texts.size(), random);
            for (int i = 0; i < order.length; i++) {
                String anchor = texts.get(order[i]);
                String positive = texts.get(order[(i + 1) % order.length]);
                out.add(new InputExample(List.of(anchor, positive), group.getKey()));
            }
        }
        return out;
    }

    /**
     * (anchor, positive, negative) triplets: the pairs of {@link #anchorPositivePairs}, each with a
     * negative drawn uniformly, with the seed, from the utterances of the other labels.
     *
     * @throws IllegalArgumentException when there is only one label, so no negative exists
     */
    public static List<InputExample> triplets(List<InputExample> labelled, long seed) {
        Map<Float, List<String>> groups = byLabel(labelled);
        if (groups.size() < 2) {
            throw new IllegalArgumentException(
                    "triplets need utterances of at least two labels, found " + groups.size());
        }
        // All texts grouped by label, and where each label's run starts.
        List<String> all = new ArrayList<>();
        Map<Float, Integer> start = new TreeMap<>();
        groups.forEach(
                (label, texts) -> {
                    start.put(label, all.size());
                    all.addAll(texts);
                });
        List<InputExample> pairs = anchorPositivePairs(labelled, seed);
        // A separate stream, so the pairs are the same with or without negatives.
        SplittableRandom random = new SplittableRandom(seed).split();
        List<InputExample> out = new ArrayList<>(pairs.size());
        for (InputExample pair : pairs) {
            int own = groups.get(pair.label()).size();
            int k = random.nextInt(all.size() - own);
            // Skip over the anchor's own run of texts.
            int j = k < start.get(pair.label()) ? k : k + own;
            out.add(
                    new InputExample(
                            List.of(pair.text(0), pair.text(1), all.get(j)), pair.label()));
        }
        return out;
    }

    /**
     * Texts by label, labels in ascending order, texts in input order; labels with one text
     * dropped.
     */
    private static Map<Float, List<String>> byLabel(List<InputExample> labelled) {
        Map<Float, List<String>> groups = new TreeMap<>();
        for (InputExample e : labelled) {
            if (e.texts().size() != 1 || e.label() == null) {
                throw new IllegalArgumentException(
                        "expected one-text examples with a class label, got " + e);
            }
            groups.computeIfAbsent(e.label(), k -> new ArrayList<>()).add(e.text(0));
        }
        int dropped = 0;
        for (var it = groups.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue().size() < 2) {
                it.remove();
                dropped++;
            }
        }
        if (dropped > 0) {
            log.warn(
                    "{} labels have a single utterance and no positive; they are left out of the"
                            + " pairs",
                    dropped);
        }
        return groups;
    }

    /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
    static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
