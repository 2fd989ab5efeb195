package io.intentstream.encoder;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A sentence-transformer held in memory: the transformer block with its weights on a device, the
 * tokenizer definition, the pooling settings and the manifest. It is what the encoder serves and
 * what the trainer fine-tunes; {@link ModelDirectory} saves and loads it.
 *
 * <p>Closing it frees the weights' native memory.
 */
public final class SentenceModel implements AutoCloseable {

    private final Model djlModel;
    private final BertSentenceBlock block;
    private final byte[] tokenizerJson;
    private final int maxSeqLength;
    private final ModelManifest manifest;

    private SentenceModel(
            Model djlModel,
            BertSentenceBlock block,
            byte[] tokenizerJson,
            int maxSeqLength,
            ModelManifest manifest) {
        this.djlModel = djlModel;
        this.block = block;
        this.tokenizerJson = tokenizerJson;
        this.maxSeqLength = maxSeqLength;
        this.manifest = manifest;
    }

    /**
     * Builds a model on {@code device} from tensors named as in a Hugging Face {@code BertModel}.
     *
     * @param tensors every weight the architecture needs, float32; extra tensors are ignored
     */
    public static SentenceModel fromTensors(
            BertConfig config,
            PoolingMode pooling,
            boolean normalize,
            Map<String, RawTensor> tensors,
            byte[] tokenizerJson,
            int maxSeqLength,
            ModelManifest manifest,
            Device device) {
        if (maxSeqLength > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException(
                    "max_seq_length "
                            + maxSeqLength
                            + " exceeds max_position_embeddings "
                            + config.maxPositionEmbeddings());
        }
        Model djlModel = Model.newInstance(manifest.version(), device, "PyTorch");
        try {
            BertSentenceBlock block = new BertSentenceBlock(config, pooling, normalize);
            NDManager manager = djlModel.getNDManager();
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            for (String name : block.expectedShapes().keySet()) {
                RawTensor t = tensors.get(name);
                if (t != null) {
                    arrays.put(name, manager.create(t.data(), new Shape(t.shape())));
                }
            }
            block.setWeights(arrays);
            djlModel.setBlock(block);
            return new SentenceModel(
                    djlModel, block, tokenizerJson.clone(), maxSeqLength, manifest);
        } catch (RuntimeException e) {
            djlModel.close();
            throw e;
        }
    }

    /** A copy whose manifest is replaced, sharing nothing mutable with this one but the weights. */
    SentenceModel withManifest(ModelManifest newManifest) {
        return new SentenceModel(djlModel, block, tokenizerJson, maxSeqLength, newManifest);
    }

    public BertSentenceBlock block() {
        return block;
    }

    public BertConfig config() {
        return block.config();
    }

    /** The manager that owns the weights; sub-managers of it hold per-batch arrays. */
    public NDManager manager() {
        return djlModel.getNDManager();
    }

    public Device device() {
        return djlModel.getNDManager().getDevice();
    }

    /** The DJL model, e.g. for a DJL {@code Trainer}. */
    public Model djlModel() {
        return djlModel;
    }

    public byte[] tokenizerJson() {
        return tokenizerJson.clone();
    }

    public int maxSeqLength() {
        return maxSeqLength;
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public String version() {
        return manifest.version();
    }

    public int dimension() {
        return block.config().hiddenSize();
    }

    @Override
    public void close() {
        djlModel.close();
    }
}
