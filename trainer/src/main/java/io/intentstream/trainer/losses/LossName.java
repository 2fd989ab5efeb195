package io.intentstream.trainer.losses;

/** The losses that can be chosen by name, spelled as in sentence-transformers. */
public enum LossName {
    CosineSimilarityLoss,
    CoSENTLoss,
    ContrastiveLoss,
    OnlineContrastiveLoss,
    TripletLoss,
    MultipleNegativesRankingLoss,
    MultipleNegativesSymmetricRankingLoss,
    SoftmaxLoss;

    /** Whether the other examples of a batch are this loss's negatives. */
    public boolean usesInBatchNegatives() {
        return this == MultipleNegativesRankingLoss
                || this == MultipleNegativesSymmetricRankingLoss;
    }

    /** The loss called {@code name}; fails with the names there are. */
    public static LossName parse(String name) {
        try {
            return valueOf(name.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown loss '"
                            + name
                            + "'; expected one of "
                            + java.util.Arrays.toString(values()),
                    e);
        }
    }
}
