package io.intentstream.trainer.losses;

import io.intentstream.encoder.SentenceModel;
import java.util.List;

/**
 * The one place where a loss is built from its name, for the {@code fit} command and the trainer
 * job alike. Unset options take each loss's own default (sentence-transformers' defaults).
 */
public final class Losses {

    /**
     * Options of the losses that have them.
     *
     * @param scale of MultipleNegatives(Symmetric)RankingLoss and CoSENTLoss, or null for the
     *     default (20)
     * @param margin of ContrastiveLoss, OnlineContrastiveLoss (0.5) and TripletLoss (5), or null
     *     for the default
     * @param matryoshkaDims wrap the loss in MatryoshkaLoss over these leading dimensions; empty
     *     for none
     * @param softmaxLabels the number of classes of SoftmaxLoss
     * @param seed initialises SoftmaxLoss's classifier
     */
    public record Options(
            Float scale, Float margin, List<Integer> matryoshkaDims, int softmaxLabels, long seed) {
        public Options {
            matryoshkaDims = matryoshkaDims == null ? List.of() : List.copyOf(matryoshkaDims);
        }

        /** Every loss with its defaults; SoftmaxLoss with two classes. */
        public static Options defaults() {
            return new Options(null, null, List.of(), 2, 42);
        }
    }

    private Losses() {}

    /** The loss called {@code name} (see {@link LossName}); fails on an unknown name. */
    public static SentenceLoss byName(String name, SentenceModel model, Options options) {
        return byName(LossName.parse(name), model, options);
    }

    /**
     * {@code name}'s loss with {@code options}; SoftmaxLoss's classifier lives in {@code model}'s
     * manager.
     */
    public static SentenceLoss byName(LossName name, SentenceModel model, Options options) {
        Float scale = options.scale();
        Float margin = options.margin();
        SentenceLoss inner =
                switch (name) {
                    case CosineSimilarityLoss -> new CosineSimilarityLoss();
                    case CoSENTLoss -> scale == null ? new CoSENTLoss() : new CoSENTLoss(scale);
                    case ContrastiveLoss ->
                            margin == null ? new ContrastiveLoss() : new ContrastiveLoss(margin);
                    case OnlineContrastiveLoss ->
                            margin == null
                                    ? new OnlineContrastiveLoss()
                                    : new OnlineContrastiveLoss(margin);
                    case TripletLoss ->
                            margin == null ? new TripletLoss() : new TripletLoss(margin);
                    case MultipleNegativesRankingLoss ->
                            scale == null
                                    ? new MultipleNegativesRankingLoss()
                                    : new MultipleNegativesRankingLoss(scale);
                    case MultipleNegativesSymmetricRankingLoss ->
                            scale == null
                                    ? new MultipleNegativesSymmetricRankingLoss()
                                    : new MultipleNegativesSymmetricRankingLoss(scale);
                    case SoftmaxLoss ->
                            new SoftmaxLoss(
                                    model.manager(),
                                    model.dimension(),
                                    options.softmaxLabels(),
                                    options.seed());
                };
        return options.matryoshkaDims().isEmpty()
                ? inner
                : new MatryoshkaLoss(inner, options.matryoshkaDims());
    }
}
