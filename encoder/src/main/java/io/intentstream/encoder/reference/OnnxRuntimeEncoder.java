package io.intentstream.encoder.reference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.intentstream.encoder.SentenceEncoder;
import io.intentstream.encoder.SentenceTokenizer;
import io.intentstream.encoder.TokenBatch;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The reference: a BERT {@code .onnx} file (output {@code last_hidden_state}) run by ONNX Runtime
 * on the CPU, followed by attention-masked mean pooling and L2 normalisation in Java. It uses the
 * same tokenizer as the DJL encoder, so the two differ only in the transformer's arithmetic.
 *
 * <p>Used by parity checks and benchmarks; requires {@code com.microsoft.onnxruntime:onnxruntime}
 * on the class path. Thread-safe.
 */
public final class OnnxRuntimeEncoder implements SentenceEncoder {

    private final OrtEnvironment env;
    private final OrtSession session;
    private final SentenceTokenizer tokenizer;
    private final int batchSize;
    private final boolean sortByLength;
    private final boolean needsTokenTypes;
    private final int dimension;

    /**
     * @param onnx the model file's bytes
     * @param tokenizer tokenises exactly as the encoder under comparison does
     * @param intraOpThreads ONNX Runtime's intra-op threads; 0 lets it choose
     */
    public OnnxRuntimeEncoder(
            byte[] onnx,
            SentenceTokenizer tokenizer,
            int batchSize,
            boolean sortByLength,
            int intraOpThreads) {
        try {
            this.env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions so = new OrtSession.SessionOptions();
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (intraOpThreads > 0) {
                so.setIntraOpNumThreads(intraOpThreads);
            }
            this.session = env.createSession(onnx, so);
            this.needsTokenTypes = session.getInputNames().contains("token_type_ids");
            long[] outShape =
                    ((ai.onnxruntime.TensorInfo)
                                    session.getOutputInfo().values().iterator().next().getInfo())
                            .getShape();
            this.dimension = (int) outShape[outShape.length - 1];
        } catch (OrtException e) {
            throw new IllegalStateException(
                    "ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
        this.tokenizer = tokenizer;
        this.batchSize = batchSize;
        this.sortByLength = sortByLength;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public float[][] encode(List<String> texts) {
        long[][] ids = tokenizer.tokenize(texts);
        int[] order = IntStream.range(0, ids.length).toArray();
        if (sortByLength) {
            order =
                    IntStream.range(0, ids.length)
                            .boxed()
                            .sorted(Comparator.comparingInt(i -> ids[i].length))
                            .mapToInt(Integer::intValue)
                            .toArray();
        }
        float[][] out = new float[ids.length][];
        for (int start = 0; start < ids.length; start += batchSize) {
            int[] rows = Arrays.copyOfRange(order, start, Math.min(ids.length, start + batchSize));
            long[][] batchIds = new long[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                batchIds[i] = ids[rows[i]];
            }
            float[][] vectors = run(TokenBatch.pad(batchIds));
            for (int i = 0; i < rows.length; i++) {
                out[rows[i]] = vectors[i];
            }
        }
        return out;
    }

    private float[][] run(TokenBatch batch) {
        long[] shape = {batch.size(), batch.tokens()};
        try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(batch.ids()), shape);
                OnnxTensor mask =
                        OnnxTensor.createTensor(env, LongBuffer.wrap(batch.mask()), shape);
                OnnxTensor types =
                        OnnxTensor.createTensor(
                                env, LongBuffer.wrap(new long[batch.ids().length]), shape)) {
            Map<String, OnnxTensor> inputs =
                    needsTokenTypes
                            ? Map.of(
                                    "input_ids",
                                    ids,
                                    "attention_mask",
                                    mask,
                                    "token_type_ids",
                                    types)
                            : Map.of("input_ids", ids, "attention_mask", mask);
            try (OrtSession.Result result = session.run(inputs)) {
                FloatBuffer hidden =
                        ((OnnxTensor) result.get(0)).getFloatBuffer(); // (batch, tokens, dim)
                return meanPoolNormalize(hidden, batch);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    private float[][] meanPoolNormalize(FloatBuffer hidden, TokenBatch batch) {
        float[][] out = new float[batch.size()][dimension];
        for (int b = 0; b < batch.size(); b++) {
            double[] sum = new double[dimension];
            int count = 0;
            for (int t = 0; t < batch.tokens(); t++) {
                if (batch.mask()[b * batch.tokens() + t] == 0) {
                    continue;
                }
                count++;
                int base = (b * batch.tokens() + t) * dimension;
                for (int d = 0; d < dimension; d++) {
                    sum[d] += hidden.get(base + d);
                }
            }
            double norm = 0;
            for (int d = 0; d < dimension; d++) {
                sum[d] /= Math.max(count, 1);
                norm += sum[d] * sum[d];
            }
            norm = Math.max(Math.sqrt(norm), 1e-12);
            for (int d = 0; d < dimension; d++) {
                out[b][d] = (float) (sum[d] / norm);
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
