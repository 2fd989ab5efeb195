package io.intentstream.trainer.fit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay, step for step as {@code torch.optim.AdamW} (betas 0.9, 0.999,
 * eps 1e-8), with the global gradient-norm clipping of {@code torch.nn.utils.clip_grad_norm_} in
 * front of it. Biases and LayerNorm parameters are not decayed, as in sentence-transformers.
 *
 * <p>DJL's own {@code AdamW} optimizer applies one weight decay to every parameter, adds eps to the
 * uncorrected √v and keeps its state where it cannot be checkpointed, hence this class. It reuses
 * the fused native update under DJL's optimizer (in its decoupled-decay mode), with the bias
 * corrections folded into step size and eps so that the arithmetic is torch's. Moment estimates
 * live in a sub-manager of the one given; temporaries are left to the caller's {@link
 * ai.djl.ndarray.NDScope}. Not thread-safe.
 */
public final class AdamW implements AutoCloseable {

    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPS = 1e-8f;

    /** clip_grad_norm_'s guard against division by zero. */
    static final double CLIP_EPS = 1e-6;

    private final Map<String, Parameter> parameters;
    private final float weightDecay;
    private final NDManager state;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private long updates;

    /**
     * @param parameters what to train, by name; names decide weight decay
     */
    public AdamW(Map<String, Parameter> parameters, float weightDecay, NDManager manager) {
        this.parameters = new LinkedHashMap<>(parameters);
        this.weightDecay = weightDecay;
        this.state = manager.newSubManager();
        for (Map.Entry<String, Parameter> e : this.parameters.entrySet()) {
            NDArray w = e.getValue().getArray();
            firstMoments.put(e.getKey(), state.zeros(w.getShape(), w.getDataType()));
            secondMoments.put(e.getKey(), state.zeros(w.getShape(), w.getDataType()));
        }
    }

    /**
     * Whether a parameter is decayed: not biases and not LayerNorm weights, as
     * sentence-transformers' fit.
     */
    public static boolean decays(String name) {
        return !name.contains("bias") && !name.contains("LayerNorm");
    }

    private List<String> lastNonFinite = List.of();

    /** Updates applied so far (torch's {@code step} state). */
    public long updates() {
        return updates;
    }

    /** Marks every parameter as needing gradients. */
    public void attachGradients() {
        parameters.values().forEach(p -> p.getArray().setRequiresGradient(true));
    }

    /** The global L2 norm of all gradients (NaN or infinite if any gradient is). */
    public double gradientNorm() {
        double sumOfSquares = 0;
        for (Parameter p : parameters.values()) {
            double n = p.getArray().getGradient().norm().getFloat();
            sumOfSquares += n * n;
        }
        return Math.sqrt(sumOfSquares);
    }

    /**
     * Clips the gradients to a global norm of {@code maxGradNorm} (when positive), applies one
     * AdamW update at learning rate {@code lr}, and zeroes the gradients. Call with gradient
     * recording off. A step whose gradients are not all finite changes nothing but the gradients,
     * which it zeroes, so that one bad batch cannot turn every weight into NaN.
     *
     * @return the global gradient norm before clipping; not finite if the step was skipped
     */
    public double step(float lr, float maxGradNorm) {
        double norm = gradientNorm();
        if (!Double.isFinite(norm)) {
            lastNonFinite = nonFiniteGradients();
            zeroGradients();
            return norm;
        }
        float clip = maxGradNorm > 0 ? (float) Math.min(1.0, maxGradNorm / (norm + CLIP_EPS)) : 1f;
        updates++;
        double correction1 = 1 - Math.pow(BETA1, updates);
        double correction2Sqrt = Math.sqrt(1 - Math.pow(BETA2, updates));
        // torch: w −= lr/c1 · m / (√v/√c2 + eps), which is w −= (lr·√c2/c1) · m / (√v + eps·√c2).
        float stepSize = (float) (lr * correction2Sqrt / correction1);
        float eps = (float) (EPS * correction2Sqrt);
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            NDArray w = e.getValue().getArray();
            float decay = decays(e.getKey()) ? weightDecay : 0f;
            // PyTorch's fused update in DJL's native library, in its decoupled (AdamW) mode: w −=
            // lr·wd·w,
            // then the moments of the gradient scaled by the clipping factor, then the step above;
            // it
            // zeroes the gradient afterwards. A clip value below 0 turns its own value clipping
            // off.
            w.getNDArrayInternal()
                    .adamUpdate(
                            new NDList(
                                    w,
                                    w.getGradient(),
                                    firstMoments.get(e.getKey()),
                                    secondMoments.get(e.getKey())),
                            new NDList(w),
                            lr,
                            stepSize,
                            decay,
                            clip,
                            -1f,
                            BETA1,
                            BETA2,
                            eps,
                            false,
                            true);
        }
        return norm;
    }

    /** Parameters whose gradient was not finite in the last skipped step, for the log. */
    public List<String> lastNonFiniteGradients() {
        return lastNonFinite;
    }

    private List<String> nonFiniteGradients() {
        List<String> names = new ArrayList<>();
        parameters.forEach(
                (name, p) -> {
                    NDArray w = p.getArray();
                    if (w.hasGradient() && !Double.isFinite(w.getGradient().norm().getFloat())) {
                        names.add(name);
                    }
                });
        return names;
    }

    /**
     * Zeroes every gradient without updating, e.g. after a step that is thrown away. Multiplying by
     * zero would keep NaN (NaN·0 = NaN) and poison every later step, so PyTorch's {@code zero_()}
     * is used.
     */
    public void zeroGradients() {
        for (Parameter p : parameters.values()) {
            NDArray w = p.getArray();
            if (w.hasGradient()) {
                if (w instanceof PtNDArray pt) {
                    JniUtils.zeroGrad(pt);
                } else {
                    NDArray g = w.getGradient();
                    g.set(g.isNaN().logicalOr(g.isInfinite()), 0f);
                    g.muli(0f);
                }
            }
        }
    }

    /** Writes the moment estimates as safetensors; {@link #updates()} is saved by the caller. */
    public void save(Path file) throws IOException {
        NDList list = new NDList();
        for (String name : parameters.keySet()) {
            list.add(named(firstMoments.get(name), "exp_avg." + name));
            list.add(named(secondMoments.get(name), "exp_avg_sq." + name));
        }
        Files.write(file, list.encode(NDList.Encoding.SAFETENSORS));
    }

    /** Restores moment estimates written by {@link #save(Path)} and the update count. */
    public void load(Path file, long updateCount) throws IOException {
        Map<String, NDArray> byName = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (NDArray a : NDList.decode(state, in)) {
                byName.put(a.getName(), a);
            }
        }
        for (String name : parameters.keySet()) {
            replace(firstMoments, name, byName.get("exp_avg." + name), file);
            replace(secondMoments, name, byName.get("exp_avg_sq." + name), file);
        }
        this.updates = updateCount;
    }

    private static void replace(
            Map<String, NDArray> moments, String name, NDArray loaded, Path file)
            throws IOException {
        NDArray current = moments.get(name);
        if (loaded == null || !loaded.getShape().equals(current.getShape())) {
            throw new IOException(
                    file + ": optimizer state for " + name + " is missing or mis-shaped");
        }
        current.close();
        moments.put(name, loaded);
    }

    private static NDArray named(NDArray a, String name) {
        a.setName(name);
        return a;
    }

    @Override
    public void close() {
        state.close();
    }
}
