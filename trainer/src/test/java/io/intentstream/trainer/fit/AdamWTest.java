package io.intentstream.trainer.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AdamW against torch.optim.AdamW worked by hand, with clip_grad_norm_ in front. */
class AdamWTest {

    private NDManager manager;
    private Map<String, Parameter> parameters;

    @TempDir Path tmp;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager("PyTorch");
        parameters = new LinkedHashMap<>();
        parameters.put("dense.weight", scalar("dense.weight", 1f));
        parameters.put("dense.bias", scalar("dense.bias", 1f));
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private Parameter scalar(String name, float value) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.OTHER).build();
        p.setArray(manager.create(new float[] {value}));
        return p;
    }

    private float value(String name) {
        return parameters.get(name).getArray().getFloat(0);
    }

    /** Back-propagates Σ g_i·w_i, so that parameter i receives gradient g_i. */
    private void gradients(float weightGrad, float biasGrad) {
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray loss =
                    parameters
                            .get("dense.weight")
                            .getArray()
                            .mul(weightGrad)
                            .add(parameters.get("dense.bias").getArray().mul(biasGrad))
                            .sum();
            gc.backward(loss);
        }
    }

    @Test
    void shouldMatchTorchAdamWAndSkipDecayOfBiasesWhenStepping() {
        try (AdamW adam = new AdamW(parameters, 0.01f, manager);
                NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            adam.attachGradients();
            // step 1, lr 0.1, g 0.5: w ← w·(1 − 0.1·0.01) = 0.999; m = 0.05, v = 0.00025;
            // m̂ = 0.5, v̂ = 0.25 → w −= 0.1·0.5/(0.5 + 1e-8) → 0.899. The bias is not decayed:
            // 0.9.
            gradients(0.5f, 0.5f);
            adam.step(0.1f, 0f);
            assertEquals(0.899f, value("dense.weight"), 1e-6f);
            assertEquals(0.9f, value("dense.bias"), 1e-6f);
            // step 2, same gradient: w ← 0.899·0.999 = 0.898101; m = 0.095, v = 0.00049975;
            // m̂ = 0.095/0.19 = 0.5, v̂ = 0.00049975/0.001999 = 0.25 → −0.1 → 0.798101.
            gradients(0.5f, 0.5f);
            adam.step(0.1f, 0f);
            assertEquals(0.798101f, value("dense.weight"), 1e-6f);
            assertEquals(0.8f, value("dense.bias"), 1e-6f);
            assertEquals(2, adam.updates());
        }
    }

    @Test
    void shouldZeroGradientsAfterStepWhenStepped() {
        try (AdamW adam = new AdamW(parameters, 0.01f, manager);
                NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            adam.attachGradients();
            gradients(3f, 4f);
            adam.step(0.1f, 0f);
            assertEquals(0.0, adam.gradientNorm(), 0.0);
        }
    }

    @Test
    void shouldSkipTheStepAndRecoverWhenAGradientIsNaN() {
        try (AdamW adam = new AdamW(parameters, 0.01f, manager);
                NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            adam.attachGradients();
            gradients(Float.NaN, 0.5f);
            assertTrue(Double.isNaN(adam.step(0.1f, 1f)), "the step reports the non-finite norm");
            assertEquals(1f, value("dense.weight"), 0f, "weights untouched");
            assertEquals(0, adam.updates());
            assertEquals(java.util.List.of("dense.weight"), adam.lastNonFiniteGradients());

            gradients(0.5f, 0.5f);
            double norm = adam.step(0.1f, 0f);

            assertEquals(
                    Math.sqrt(0.5),
                    norm,
                    1e-6,
                    "the NaN gradient is gone, not carried into later steps");
            assertEquals(0.899f, value("dense.weight"), 1e-6f);
        }
    }

    @Test
    void shouldScaleGradientsToMaxNormWhenGlobalNormAbove() throws Exception {
        // gradients (3, 4): global norm 5. clip_grad_norm_(max 1) scales both by 1/(5 + 1e-6), so
        // the
        // first moments become 0.1·(0.6, 0.8) — not value clipping, which would give 0.1·(1, 1).
        try (AdamW adam = new AdamW(parameters, 0f, manager);
                NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            adam.attachGradients();
            gradients(3f, 4f);
            assertEquals(5.0, adam.gradientNorm(), 1e-6);
            assertEquals(5.0, adam.step(1e-3f, 1f), 1e-6);
            Map<String, Float> moments = firstMoments(adam);
            assertEquals(0.06f, moments.get("dense.weight"), 1e-6f);
            assertEquals(0.08f, moments.get("dense.bias"), 1e-6f);
        }
    }

    @Test
    void shouldLeaveGradientsAloneWhenNormBelowMax() throws Exception {
        try (AdamW adam = new AdamW(parameters, 0f, manager);
                NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            adam.attachGradients();
            gradients(3f, 4f);
            adam.step(1e-3f, 10f);
            Map<String, Float> moments = firstMoments(adam);
            assertEquals(0.3f, moments.get("dense.weight"), 1e-6f);
            assertEquals(0.4f, moments.get("dense.bias"), 1e-6f);
        }
    }

    private Map<String, Float> firstMoments(AdamW adam) throws Exception {
        Path file = tmp.resolve("optimizer.safetensors");
        adam.save(file);
        Map<String, Float> out = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (NDArray a : NDList.decode(manager, in)) {
                if (a.getName().startsWith("exp_avg.")) {
                    out.put(a.getName().substring("exp_avg.".length()), a.getFloat(0));
                }
            }
        }
        return out;
    }

    @Test
    void shouldExcludeBiasesAndLayerNormWhenDecayingWeights() {
        assertTrue(AdamW.decays("encoder.layer.0.attention.self.query.weight"));
        assertTrue(AdamW.decays("embeddings.word_embeddings.weight"));
        assertTrue(AdamW.decays("loss.classifier.weight"));
        assertFalse(AdamW.decays("encoder.layer.0.attention.self.query.bias"));
        assertFalse(AdamW.decays("encoder.layer.0.output.LayerNorm.weight"));
        assertFalse(AdamW.decays("embeddings.LayerNorm.bias"));
    }
}
