package io.intentstream.trainer.job;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.avro.TrainingExample;
import io.intentstream.trainer.data.InputExample;
import io.intentstream.trainer.data.LabelledText;
import io.intentstream.trainer.job.TrainingSetStore.StoredExample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * One run's data, built from the training set: the held-out slice for the gate; the exemplars, the
 * confirmed queries the release ships for matching beside the catalog's utterances; and training
 * triplets (query, another text of its intent, a hard negative text) for the new examples plus a
 * replayed sample of older ones. Examples whose intent is not in the catalog (deleted intents) are
 * left out; out-of-scope examples (no intent) are only evaluated on.
 *
 * <p>Held-out membership is a hash of the query id, so an example is held out in every run or in
 * none: the gate never evaluates on what an earlier release was trained on or matches against.
 */
public final class TrainingData {

    /**
     * How a run's data is drawn.
     *
     * @param holdoutFraction share of query ids held out for the gate
     * @param holdoutMax most recent held-out examples evaluated on
     * @param replayMax older examples replayed besides the new ones
     * @param hardNegatives whether each triplet gets a hard negative
     * @param exemplarsPerIntent confirmed queries shipped per intent for matching (0: none); they
     *     also serve as positives and negatives, since queries are then matched against them
     * @param seed the run's random draws
     */
    public record Settings(
            double holdoutFraction,
            int holdoutMax,
            int replayMax,
            boolean hardNegatives,
            int exemplarsPerIntent,
            long seed) {}

    private final List<IntentDefinition> catalog;
    private final List<LabelledText> catalogUtterances;
    private final Map<String, List<String>> exemplars;
    private final List<LabelledText> heldOut;
    private final List<InputExample> training;
    private final int newExamples;
    private final int replayed;

    private TrainingData(
            List<IntentDefinition> catalog,
            List<LabelledText> catalogUtterances,
            Map<String, List<String>> exemplars,
            List<LabelledText> heldOut,
            List<InputExample> training,
            int newExamples,
            int replayed) {
        this.catalog = catalog;
        this.catalogUtterances = catalogUtterances;
        this.exemplars = exemplars;
        this.heldOut = heldOut;
        this.training = training;
        this.newExamples = newExamples;
        this.replayed = replayed;
    }

    /**
     * Every utterance of the active intents of {@code catalogById}, labelled with its intent id.
     */
    public static List<LabelledText> utterances(Map<String, IntentDefinition> catalogById) {
        List<LabelledText> out = new ArrayList<>();
        for (IntentDefinition d : catalogById.values()) {
            if (d.getActive()) {
                d.getExamples().stream()
                        .filter(e -> !e.isBlank())
                        .forEach(e -> out.add(new LabelledText(e, d.getIntentId())));
            }
        }
        return out;
    }

    /** Whether {@code queryId} belongs to the held-out slice of this fraction. */
    public static boolean heldOut(String queryId, double fraction) {
        long h = queryId.hashCode() * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        return Math.floorMod(h, 10_000L) < Math.round(fraction * 10_000);
    }

    /**
     * @param examples the whole stored training set
     * @param catalogById the intent catalog
     * @param trainedSequence examples at or above this sequence are new
     * @param confusers per intent, the intents the current model confuses it with, most confused
     *     first
     */
    public static TrainingData build(
            List<StoredExample> examples,
            Map<String, IntentDefinition> catalogById,
            long trainedSequence,
            Map<String, List<String>> confusers,
            Settings settings) {
        List<IntentDefinition> catalog =
                catalogById.values().stream()
                        .filter(IntentDefinition::getActive)
                        .filter(d -> d.getExamples().stream().anyMatch(e -> !e.isBlank()))
                        .toList();
        Map<String, List<String>> utterances = new LinkedHashMap<>();
        List<LabelledText> catalogRows = new ArrayList<>();
        for (IntentDefinition d : catalog) {
            List<String> texts = d.getExamples().stream().filter(e -> !e.isBlank()).toList();
            utterances.put(d.getIntentId(), texts);
            texts.forEach(t -> catalogRows.add(new LabelledText(t, d.getIntentId())));
        }
        Map<String, Float> labelIndex = new HashMap<>();
        utterances.keySet().forEach(id -> labelIndex.put(id, (float) labelIndex.size()));

        List<StoredExample> held = new ArrayList<>();
        List<StoredExample> fresh = new ArrayList<>();
        List<StoredExample> old = new ArrayList<>();
        for (StoredExample s : examples) {
            TrainingExample e = s.example();
            boolean known = e.getIntentId() == null || utterances.containsKey(e.getIntentId());
            if (!known) {
                continue;
            }
            if (heldOut(e.getQueryId(), settings.holdoutFraction())) {
                held.add(s);
            } else if (e.getIntentId() != null) {
                (s.sequence() >= trainedSequence ? fresh : old).add(s);
            }
        }
        held.sort(Comparator.comparingLong(StoredExample::sequence).reversed());
        List<LabelledText> heldOut =
                held.stream()
                        .limit(settings.holdoutMax())
                        .map(
                                s ->
                                        new LabelledText(
                                                s.example().getText(),
                                                s.example().getIntentId() == null
                                                        ? LabelledText.OUT_OF_SCOPE
                                                        : s.example().getIntentId()))
                        .toList();

        List<StoredExample> confirmed = new ArrayList<>(fresh);
        confirmed.addAll(old);
        Map<String, List<String>> exemplars =
                exemplars(confirmed, utterances, settings.exemplarsPerIntent());
        // Queries are matched against utterances and exemplars alike, so both make positives and
        // negatives.
        Map<String, List<String>> matched = new LinkedHashMap<>();
        utterances.forEach(
                (id, texts) -> {
                    List<String> all = new ArrayList<>(texts);
                    all.addAll(exemplars.getOrDefault(id, List.of()));
                    matched.put(id, all);
                });

        int replayMax = settings.replayMax();
        Random random = new Random(settings.seed());
        java.util.Collections.shuffle(old, random);
        List<StoredExample> chosen = new ArrayList<>(fresh);
        chosen.addAll(old.subList(0, Math.min(replayMax, old.size())));
        chosen.sort(Comparator.comparingLong(StoredExample::sequence));

        List<InputExample> training = new ArrayList<>(chosen.size());
        for (StoredExample s : chosen) {
            TrainingExample e = s.example();
            String positive = pick(matched.get(e.getIntentId()), e.getText(), random);
            List<String> texts = new ArrayList<>(List.of(e.getText(), positive));
            if (settings.hardNegatives() && utterances.size() > 1) {
                String negativeIntent = negativeIntent(e, utterances, confusers, random);
                List<String> negatives = matched.get(negativeIntent);
                texts.add(negatives.get(random.nextInt(negatives.size())));
            }
            training.add(new InputExample(texts, labelIndex.get(e.getIntentId())));
        }
        return new TrainingData(
                catalog,
                catalogRows,
                exemplars,
                heldOut,
                training,
                fresh.size(),
                Math.min(replayMax, old.size()));
    }

    /**
     * A random text of {@code texts} other than {@code query} itself (the query when it is the only
     * one).
     */
    private static String pick(List<String> texts, String query, Random random) {
        for (int attempt = 0; attempt < 8; attempt++) {
            String t = texts.get(random.nextInt(texts.size()));
            if (!t.equals(query)) {
                return t;
            }
        }
        return texts.stream().filter(t -> !t.equals(query)).findFirst().orElse(query);
    }

    /**
     * Per intent, up to {@code perIntent} distinct confirmed queries, most recent first, leaving
     * out texts the catalog already has.
     */
    private static Map<String, List<String>> exemplars(
            List<StoredExample> confirmed, Map<String, List<String>> utterances, int perIntent) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (perIntent == 0) {
            return out;
        }
        Map<String, Set<String>> seen = new HashMap<>();
        utterances.forEach(
                (id, texts) ->
                        seen.put(
                                id,
                                new java.util.HashSet<>(
                                        texts.stream().map(TrainingData::normalized).toList())));
        confirmed.stream()
                .sorted(Comparator.comparingLong(StoredExample::sequence).reversed())
                .map(StoredExample::example)
                .forEach(
                        e -> {
                            List<String> kept =
                                    out.computeIfAbsent(e.getIntentId(), k -> new ArrayList<>());
                            if (kept.size() < perIntent
                                    && seen.get(e.getIntentId()).add(normalized(e.getText()))) {
                                kept.add(e.getText());
                            }
                        });
        out.values().removeIf(List::isEmpty);
        return out;
    }

    private static String normalized(String text) {
        return text.strip().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The corrected match's wrong intent if there is one, else an intent the model confuses with
     * the right one.
     */
    private static String negativeIntent(
            TrainingExample e,
            Map<String, List<String>> utterances,
            Map<String, List<String>> confusers,
            Random random) {
        String predicted = e.getPredictedIntentId();
        if (!e.getModelWasRight()
                && predicted != null
                && !predicted.equals(e.getIntentId())
                && utterances.containsKey(predicted)) {
            return predicted;
        }
        List<String> candidates =
                confusers.getOrDefault(e.getIntentId(), List.of()).stream()
                        .filter(utterances::containsKey)
                        .filter(id -> !id.equals(e.getIntentId()))
                        .limit(3)
                        .toList();
        if (!candidates.isEmpty()) {
            return candidates.get(random.nextInt(candidates.size()));
        }
        List<String> others =
                utterances.keySet().stream().filter(id -> !id.equals(e.getIntentId())).toList();
        return others.get(random.nextInt(others.size()));
    }

    /**
     * Per intent, the intents that corrected matches wrongly chose for it (most often first), then
     * {@code nearest} (e.g. the closest intent centroids under the current model).
     */
    public static Map<String, List<String>> confusers(
            List<StoredExample> examples, Map<String, List<String>> nearest) {
        Map<String, Map<String, Integer>> counts = new HashMap<>();
        for (StoredExample s : examples) {
            TrainingExample e = s.example();
            if (!e.getModelWasRight()
                    && e.getIntentId() != null
                    && e.getPredictedIntentId() != null) {
                counts.computeIfAbsent(e.getIntentId(), k -> new HashMap<>())
                        .merge(e.getPredictedIntentId(), 1, Integer::sum);
            }
        }
        Map<String, List<String>> out = new HashMap<>();
        Set<String> intents = new LinkedHashSet<>(nearest.keySet());
        intents.addAll(counts.keySet());
        for (String intent : intents) {
            Set<String> ordered = new LinkedHashSet<>();
            counts.getOrDefault(intent, Map.of()).entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .forEach(en -> ordered.add(en.getKey()));
            ordered.addAll(nearest.getOrDefault(intent, List.of()));
            out.put(intent, List.copyOf(ordered));
        }
        return out;
    }

    public List<IntentDefinition> catalog() {
        return catalog;
    }

    /** Every catalog utterance labelled with its intent id. */
    public List<LabelledText> catalogUtterances() {
        return catalogUtterances;
    }

    /** Per intent, the confirmed queries the release ships for matching, most recent first. */
    public Map<String, List<String>> exemplars() {
        return exemplars;
    }

    /**
     * What a query of this release is matched against: the catalog's utterances, then the
     * exemplars.
     */
    public List<LabelledText> matchingTexts() {
        return matchingTexts(exemplars);
    }

    /**
     * What a query is matched against with {@code shipped} as exemplars (e.g. those of the release
     * in service), leaving out intents no longer in the catalog.
     */
    public List<LabelledText> matchingTexts(Map<String, List<String>> shipped) {
        Set<String> intents = new java.util.HashSet<>();
        catalogUtterances.forEach(t -> intents.add(t.label()));
        List<LabelledText> out = new ArrayList<>(catalogUtterances);
        shipped.forEach(
                (id, texts) -> {
                    if (intents.contains(id)) {
                        texts.forEach(t -> out.add(new LabelledText(t, id)));
                    }
                });
        return out;
    }

    /**
     * Held-out examples, most recent first; out-of-scope ones labelled {@value
     * LabelledText#OUT_OF_SCOPE}.
     */
    public List<LabelledText> heldOut() {
        return heldOut;
    }

    /**
     * (query, positive[, hard negative]) with the intent's index as label, for label-aware
     * batching.
     */
    public List<InputExample> training() {
        return training;
    }

    public int newExamples() {
        return newExamples;
    }

    public int replayed() {
        return replayed;
    }
}
