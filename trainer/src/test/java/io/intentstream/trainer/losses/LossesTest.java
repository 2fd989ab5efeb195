package io.intentstream.trainer.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each loss on tiny hand-made embeddings, against values and gradients worked out by hand (the
 * working is in the comments). Vectors in the plane make cosines easy: for unit u and v, d cos(u,
 * v)/dv = u − cos·v.
 */
class LossesTest {

    private static final float TOL = 1e-5f;
    private static final float E = (float) Math.E;

    /** σ(−1) = 1/(1 + e). */
    private static final float SIGMOID_MINUS_ONE = 1 / (1 + E);

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** A leaf array of 2-D rows that records its gradient. */
    private NDArray rows(float... values) {
        NDArray a = manager.create(values, new Shape(values.length / 2, 2));
        a.setRequiresGradient(true);
        return a;
    }

    private NDArray labels(float... y) {
        return manager.create(y);
    }

    /** Runs the loss with gradient recording; returns its value. */
    private float run(SentenceLoss loss, NDArray labels, NDArray... embeddings) {
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray value = loss.forward(new NDList(embeddings), labels);
            gc.backward(value);
            return value.getFloat();
        }
    }

    private static void assertGradient(float[] expected, NDArray leaf) {
        assertArrayEquals(expected, leaf.getGradient().toFloatArray(), TOL);
    }

    @Test
    void shouldGiveMeanSquaredCosineErrorWhenCosineSimilarityLoss() {
        // pair 1: cos((1,0),(1,0)) = 1 = label; pair 2: cos((1,0),(0,1)) = 0, label 1.
        // loss = ((1−1)² + (0−1)²)/2 = 0.5; d/dcos₂ = 2(0−1)/2 = −1, dcos₂/dv₂ = u₂ − 0 = (1,0),
        // dcos₂/du₂ = (0,1).
        NDArray u = rows(1, 0, 1, 0);
        NDArray v = rows(1, 0, 0, 1);
        assertEquals(0.5f, run(new CosineSimilarityLoss(), labels(1, 1), u, v), TOL);
        assertGradient(new float[] {0, 0, -1, 0}, v);
        assertGradient(new float[] {0, 0, 0, -1}, u);
    }

    @Test
    void shouldApplyMarginAndHalfFactorWhenContrastiveLoss() {
        // similar pair: d = 1 − cos((1,0),(0,1)) = 1 → 0.5·1² = 0.5.
        // dissimilar pair: cos((1,0),(3,4)) = 0.6, d = 0.4 → 0.5·max(0, 0.5 − 0.4)² = 0.005. Mean:
        // 0.2525.
        // dL/dv₁ = ½·(d₁)·(−dcos/dv₁) = ½·1·(−(1,0)) = (−0.5, 0).
        // dL/dv₂ = ½·(−(0.5 − 0.4))·(−dcos/dv₂), dcos/dv₂ = u/|v| − cos·v/|v|² = (0.2,0) −
        // 0.6·(3,4)/25 = (0.128, −0.096)
        //        = −0.05·(−0.128, 0.096) = (0.0064, −0.0048).
        NDArray u = rows(1, 0, 1, 0);
        NDArray v = rows(0, 1, 3, 4);
        assertEquals(0.2525f, run(new ContrastiveLoss(), labels(1, 0), u, v), TOL);
        assertGradient(new float[] {-0.5f, 0, 0.0064f, -0.0048f}, v);
    }

    private static float[] unitAt(float... cosines) {
        float[] out = new float[cosines.length * 2];
        for (int i = 0; i < cosines.length; i++) {
            out[2 * i] = cosines[i];
            out[2 * i + 1] = (float) Math.sqrt(1 - cosines[i] * cosines[i]);
        }
        return out;
    }

    @Test
    void shouldUseOnlyHardPairsWhenOnlineContrastiveLoss() {
        // u = (1,0); v at cosines 0.9 (positive, d 0.1), 0.5 (positive, d 0.5), 0.8 (negative, d
        // 0.2),
        // 0.2 (negative, d 0.8). Hard negatives: d < max positive d 0.5 → {0.2}; hard positives:
        // d > min negative d 0.2 → {0.5}. loss = 0.5² + (0.5 − 0.2)² = 0.34 (a sum, no 0.5 factor).
        // dL/dv for the hard positive: 2·0.5·(−(u − 0.5·v)) = −((1,0) − 0.5·(0.5, 0.8660)) =
        // (−0.75, 0.4330).
        NDArray u = rows(1, 0, 1, 0, 1, 0, 1, 0);
        NDArray v = rows(unitAt(0.9f, 0.5f, 0.8f, 0.2f));
        assertEquals(0.34f, run(new OnlineContrastiveLoss(), labels(1, 1, 0, 0), u, v), TOL);
        float[] g = v.getGradient().toFloatArray();
        assertArrayEquals(
                new float[] {0, 0, -0.75f, 0.4330127f}, java.util.Arrays.copyOf(g, 4), TOL);
        // the hard negative: 2·(0.5 − 0.2)·(−1)·(−(u − 0.8·v)) = 0.6·((1,0) − 0.8·(0.8, 0.6)) =
        // (0.216, −0.288)
        assertArrayEquals(
                new float[] {0.216f, -0.288f, 0, 0}, java.util.Arrays.copyOfRange(g, 4, 8), TOL);
    }

    @Test
    void shouldUseEuclideanDistanceAndMarginFiveWhenTripletLoss() {
        // triplet 1: a = (0,0), p = (3,4), n = (1,0): max(0, 5 − 1 + 5) = 9; triplet 2: a = (0,0),
        // p = (1,0), n = (10,0): max(0, 1 − 10 + 5) = 0. Mean 4.5.
        // dL/dp₁ = ½·(p − a)/|p − a| = (0.3, 0.4); dL/dn₁ = −½·(n − a)/|n − a| = (−0.5, 0);
        // dL/da₁ = ½·((a − p)/5 − (a − n)/1) = ½·((−0.6, −0.8) + (1, 0)) = (0.2, −0.4).
        NDArray a = rows(0, 0, 0, 0);
        NDArray p = rows(3, 4, 1, 0);
        NDArray n = rows(1, 0, 10, 0);
        assertEquals(4.5f, run(new TripletLoss(), null, a, p, n), 1e-4f);
        assertGradient(new float[] {0.3f, 0.4f, 0, 0}, p);
        assertGradient(new float[] {-0.5f, 0, 0, 0}, n);
        assertGradient(new float[] {0.2f, -0.4f, 0, 0}, a);
    }

    @Test
    void shouldRankOwnPositiveAmongInBatchNegativesWhenMultipleNegativesRankingLoss() {
        // scale 1, anchors (1,0), (0,1), positives (1,0), (0,1): each row's logits are (1, 0) with
        // the
        // right answer first: CE = log(e + 1) − 1 = 0.3132617 for both rows.
        // dL/dlogits₁ = ½·(softmax − onehot) = ½·(−1/(1+e), 1/(1+e)); dcos(a₁,p₂)/da₁ = p₂ − 0 =
        // (0,1),
        // dcos(a₁,p₁)/da₁ = p₁ − 1·a₁ = 0, so dL/da₁ = (0, ½/(1+e)).
        NDArray a = rows(1, 0, 0, 1);
        NDArray p = rows(1, 0, 0, 1);
        float expected = (float) (Math.log(E + 1) - 1);
        assertEquals(expected, run(new MultipleNegativesRankingLoss(1f), null, a, p), TOL);
        assertGradient(new float[] {0, 0.5f * SIGMOID_MINUS_ONE, 0.5f * SIGMOID_MINUS_ONE, 0}, a);
    }

    @Test
    void shouldAddHardNegativesAsCandidatesWhenThirdColumn() {
        // candidates p₁ = (1,0), p₂ = (0,1), n₁ = (−1,0), n₂ = (0,−1); row 1 logits (1, 0, −1, 0):
        // CE = log(e + 1 + 1/e + 1) − 1 = 2·log(2·cosh(½)) − 1 = 0.6265234; row 2 is symmetric.
        NDArray a = rows(1, 0, 0, 1);
        NDArray p = rows(1, 0, 0, 1);
        NDArray n = rows(-1, 0, 0, -1);
        float expected = (float) (2 * Math.log(2 * Math.cosh(0.5)) - 1);
        assertEquals(expected, run(new MultipleNegativesRankingLoss(1f), null, a, p, n), TOL);
    }

    @Test
    void shouldUseScaleTwentyByDefaultWhenMultipleNegativesRankingLoss() {
        // positives swapped: each anchor's own positive is orthogonal to it and the other is equal,
        // so each row's CE = log(1 + e^20) − 0 ≈ 20.
        NDArray a = rows(1, 0, 0, 1);
        NDArray p = rows(0, 1, 1, 0);
        assertEquals(20f, run(new MultipleNegativesRankingLoss(), null, a, p), 1e-4f);
    }

    @Test
    void shouldAlsoRankAnchorsForEachPositiveWhenMultipleNegativesSymmetricRankingLoss() {
        // scale 1, anchors a₁ = (1,0), a₂ = (0,1), positives p₁ = p₂ = (1,0): cosines [[1, 1], [0,
        // 0]].
        // Forward (anchor → positives): rows (1, 1) and (0, 0), each CE = log 2.
        // Backward (positive → anchors) = the transpose [[1, 0], [1, 0]]: p₁ right at a₁,
        // CE = log(1 + e) − 1; p₂ right at a₂, CE = log(1 + e). Loss = (log 2 + log(1 + e) − ½) /
        // 2.
        // Gradient on a₂ = (0,1), whose cosines are s₂₁ and s₂₂ (dcos/da₂ = p − 0 = (1,0) for
        // both):
        // dL/ds₂₁ = ½(¼ + ½σ(−1)), dL/ds₂₂ = ½(−¼ − ½σ(1)), so dL/da₂ = ¼(σ(−1) − σ(1))·(1,0).
        // a₁ equals both positives: every cosine with it is 1, with zero gradient.
        NDArray a = rows(1, 0, 0, 1);
        NDArray p = rows(1, 0, 1, 0);
        float expected = (float) ((Math.log(2) + Math.log(1 + E) - 0.5) / 2);
        assertEquals(expected, run(new MultipleNegativesSymmetricRankingLoss(1f), null, a, p), TOL);
        float sigmoidOne = 1 - SIGMOID_MINUS_ONE;
        assertGradient(new float[] {0, 0, 0.25f * (SIGMOID_MINUS_ONE - sigmoidOne), 0}, a);
    }

    @Test
    void shouldEqualTheOneWayLossWhenPairsAreSymmetricWhenMultipleNegativesSymmetricRankingLoss() {
        // The cosine matrix is symmetric, so both directions give log(e + 1) − 1 per row.
        NDArray a = rows(1, 0, 0, 1);
        NDArray p = rows(1, 0, 0, 1);
        assertEquals(
                (float) (Math.log(E + 1) - 1),
                run(new MultipleNegativesSymmetricRankingLoss(1f), null, a, p),
                TOL);
    }

    @Test
    void shouldPenaliseOnlyMisorderedPairsWhenCoSENTLoss() {
        // scale 1: cos₁ = 1 (label 1.0), cos₂ = 0 (label 0.5). Only (i, j) = (2, 1) has l_i < l_j:
        // loss = log(1 + e^(s₂ − s₁)) = log(1 + e^−1) = 0.3132617.
        // dL/ds₂ = σ(−1); dcos₂/dv₂ = u₂ − 0 = (1,0); dcos₁/dv₁ = u₁ − v₁ = 0.
        NDArray u = rows(1, 0, 1, 0);
        NDArray v = rows(1, 0, 0, 1);
        assertEquals(
                (float) Math.log(1 + 1 / E), run(new CoSENTLoss(1f), labels(1f, 0.5f), u, v), TOL);
        assertGradient(new float[] {0, 0, SIGMOID_MINUS_ONE, 0}, v);
    }

    @Test
    void shouldUseScaleTwentyByDefaultWhenCoSENTLossAndOrderReversed() {
        // the pair with the higher label has the lower cosine: log(1 + e^(20·(1 − 0))) ≈ 20.
        NDArray u = rows(1, 0, 1, 0);
        NDArray v = rows(1, 0, 0, 1);
        assertEquals(20f, run(new CoSENTLoss(), labels(0.5f, 1f), u, v), 1e-4f);
    }

    @Test
    void shouldClassifyConcatenatedFeaturesWhenSoftmaxLoss() {
        // dim 1: u = 1, v = 3 → features (u, v, |u − v|) = (1, 3, 2); W = [[1,0,0],[0,0,1]], b = 0
        // →
        // logits (1, 2); label 1: CE = log(e + e²) − 2 = log(1 + 1/e) = 0.3132617.
        // dL/dlogits = (σ(−1), −σ(−1)); dL/dW = that ⊗ features; dL/db = that;
        // dL/dv = −σ(−1)·d|u − v|/dv = −σ(−1); dL/du = σ(−1)·1 + (−σ(−1))·(−1) = 2σ(−1).
        NDArray w = manager.create(new float[] {1, 0, 0, 0, 0, 1}, new Shape(2, 3));
        NDArray b = manager.zeros(new Shape(2));
        w.setRequiresGradient(true);
        b.setRequiresGradient(true);
        SoftmaxLoss loss = new SoftmaxLoss(w, b);
        NDArray u = manager.create(new float[] {1}, new Shape(1, 1));
        NDArray v = manager.create(new float[] {3}, new Shape(1, 1));
        u.setRequiresGradient(true);
        v.setRequiresGradient(true);
        assertEquals((float) Math.log(1 + 1 / E), run(loss, labels(1), u, v), TOL);
        float s = SIGMOID_MINUS_ONE;
        assertGradient(new float[] {s, 3 * s, 2 * s, -s, -3 * s, -2 * s}, w);
        assertGradient(new float[] {s, -s}, b);
        assertGradient(new float[] {-s}, v);
        assertGradient(new float[] {2 * s}, u);
        assertEquals(
                List.of("classifier.weight", "classifier.bias"),
                List.copyOf(loss.parameters().keySet()));
    }

    @Test
    void shouldSumInnerLossOverTruncationsWhenMatryoshkaLoss() {
        // u = (1,1), v = (1,−1): cos over 2 dims = 0, over the first dim = 1. Label 1:
        // (0 − 1)² + (1 − 1)² = 1. dL/dv: 2·(0 − 1)·(u/(|u||v|) − 0) = −2·(1,1)/2 = (−1, −1); the
        // 1-dim cosine is constant in v.
        NDArray u = rows(1, 1);
        NDArray v = rows(1, -1);
        MatryoshkaLoss loss = new MatryoshkaLoss(new CosineSimilarityLoss(), List.of(2, 1));
        assertEquals(1f, run(loss, labels(1), u, v), TOL);
        assertGradient(new float[] {-1, -1}, v);
    }

    @Test
    void shouldWeightEachDimensionWhenMatryoshkaWeightsGiven() {
        // label 0: 1·(0 − 0)² + 0.5·(1 − 0)² = 0.5.
        MatryoshkaLoss loss =
                new MatryoshkaLoss(new CosineSimilarityLoss(), List.of(2, 1), List.of(1f, 0.5f));
        assertEquals(0.5f, run(loss, labels(0), rows(1, 1), rows(1, -1)), TOL);
        assertEquals(List.of(384, 256, 128, 64), MatryoshkaLoss.DEFAULT_DIMS);
    }
}
