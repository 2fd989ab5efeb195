package io.intentstream.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Serves a {@link SentenceModel} on DJL's PyTorch engine: tokenises, batches (optionally sorted by
 * length, padded per batch), runs the block without gradients and returns float32 vectors.
 *
 * <p>Every batch's arrays live in a sub-manager of the model's manager that is closed when the
 * batch is done, so native memory stays flat however many texts pass through. Thread-safe. Closing
 * the encoder closes its tokenizer (and an fp16 copy of the weights or the scripted module, if
 * any), not the model.
 *
 * <p>Eager execution reads the model's weights at every call. Scripted execution holds copies of
 * some of them made when the encoder was built (the joined query, key and value projections, the
 * packed layers): after the weights change, as in training, build a new encoder.
 */
public final class DjlSentenceEncoder implements SentenceEncoder {

    private final SentenceModel model;
    private final EncoderOptions options;
    private final SentenceTokenizer tokenizer;
    private final BertSentenceBlock block;
    private final NDManager weightsManager;
    private final ScriptedBert scripted;

    public DjlSentenceEncoder(SentenceModel model, EncoderOptions options) {
        this.model = model;
        this.options = options;
        this.tokenizer = new SentenceTokenizer(model.tokenizerJson(), model.maxSeqLength());
        if (options.precision() == Precision.FP16 && options.execution() == Execution.EAGER) {
            this.weightsManager = model.manager().newSubManager();
            this.block = castCopy(model.block(), options.precision(), weightsManager);
        } else {
            this.weightsManager = null;
            this.block = model.block();
        }
        this.scripted =
                options.execution() == Execution.SCRIPTED
                        ? new ScriptedBert(model, options.precision())
                        : null;
    }

    public DjlSentenceEncoder(SentenceModel model) {
        this(model, EncoderOptions.DEFAULT);
    }

    public SentenceModel model() {
        return model;
    }

    public EncoderOptions options() {
        return options;
    }

    /** The version of the model this encoder serves. */
    public String version() {
        return model.version();
    }

    @Override
    public int dimension() {
        return model.dimension();
    }

    /** Token ids for {@code texts}, as this encoder will feed them to the model. */
    public long[][] tokenize(List<String> texts) {
        return tokenizer.tokenize(texts);
    }

    @Override
    public float[][] encode(List<String> texts) {
        long[][] ids = tokenizer.tokenize(texts);
        int[] order = IntStream.range(0, ids.length).toArray();
        if (options.sortByLength()) {
            order =
                    IntStream.range(0, ids.length)
                            .boxed()
                            .sorted(Comparator.comparingInt(i -> ids[i].length))
                            .mapToInt(Integer::intValue)
                            .toArray();
        }
        float[][] vectors = new float[ids.length][];
        int dim = dimension();
        for (int start = 0; start < ids.length; start += options.batchSize()) {
            int end = Math.min(ids.length, start + options.batchSize());
            int[] rows = Arrays.copyOfRange(order, start, end);
            long[][] batchIds = new long[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                batchIds[i] = ids[rows[i]];
            }
            float[] flat = forward(TokenBatch.pad(batchIds));
            for (int i = 0; i < rows.length; i++) {
                vectors[rows[i]] = Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
            }
        }
        return vectors;
    }

    /** Runs one padded batch; returns (size × dimension) row-major. */
    private float[] forward(TokenBatch batch) {
        try (NDManager scope = model.manager().newSubManager()) {
            if (scripted != null) {
                return scripted.forward(batch, scope);
            }
            ParameterStore ps = new ParameterStore(scope, false);
            NDArray out = block.forward(ps, batch.toNDList(scope), false).head(); // (batch, dim)
            return out.toFloatArray();
        }
    }

    private static BertSentenceBlock castCopy(
            BertSentenceBlock source, Precision precision, NDManager manager) {
        BertSentenceBlock copy =
                new BertSentenceBlock(source.config(), source.pooling(), source.normalizes());
        Map<String, NDArray> cast =
                source.namedParameters().entrySet().stream()
                        .collect(
                                Collectors.toMap(
                                        Map.Entry::getKey,
                                        e -> {
                                            NDArray a =
                                                    e.getValue()
                                                            .getArray()
                                                            .toType(precision.dataType(), true);
                                            a.attach(manager);
                                            return a;
                                        }));
        copy.setWeights(cast);
        return copy;
    }

    @Override
    public void close() {
        tokenizer.close();
        if (scripted != null) {
            scripted.close();
        }
        if (weightsManager != null) {
            weightsManager.close();
        }
    }
}
