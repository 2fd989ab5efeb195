package io.intentstream.encoder;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link BertSentenceBlock}'s inference compiled by PyTorch as one TorchScript module ({@link
 * BertTorchScript}): a batch costs one native call instead of one per operation, and PyTorch's
 * graph executor may fuse operations. Shares the block's weight tensors, except the joined query,
 * key and value projections and, in fp16 and int8, the packed linear layers, which are copies made
 * at construction. Inference only; thread-safe.
 */
final class ScriptedBert implements AutoCloseable {

    private final Model module;
    private final PtSymbolBlock block;
    private final long maxPositions;

    ScriptedBert(SentenceModel model, Precision precision) {
        BertSentenceBlock source = model.block();
        if (precision != Precision.FP32
                && !Device.Type.CPU.equals(model.device().getDeviceType())) {
            throw new IllegalArgumentException(
                    "scripted "
                            + precision.name().toLowerCase(java.util.Locale.ROOT)
                            + " uses fbgemm, PyTorch's CPU kernels; on "
                            + model.device()
                            + " use eager execution");
        }
        List<String> names = new ArrayList<>(source.namedParameters().keySet());
        String code =
                BertTorchScript.source(
                        source.config(), source.pooling(), source.normalizes(), precision, names);
        this.maxPositions = source.config().maxPositionEmbeddings();
        this.module = Model.newInstance("scripted-" + model.version(), model.device(), "PyTorch");
        try {
            Path file = Files.createTempFile("intent-stream-encoder-", ".pt");
            try {
                TorchScriptArchive.write(
                        file, BertTorchScript.CLASS_NAME, code, BertTorchScript.LIST_ATTRIBUTES);
                module.load(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            module.close();
            throw new UncheckedIOException("cannot write the TorchScript module", e);
        } catch (ai.djl.MalformedModelException | RuntimeException e) {
            module.close();
            throw new IllegalStateException(
                    "PyTorch could not compile the TorchScript encoder: " + e.getMessage(), e);
        }
        this.block = (PtSymbolBlock) module.getBlock();
        PtNDArray[] weights =
                names.stream()
                        .map(n -> (PtNDArray) source.namedParameters().get(n).getArray())
                        .toArray(PtNDArray[]::new);
        try (IValue list = IValue.listFrom(weights);
                IValue ignored = IValueUtils.runMethod(block, "prepare", list)) {
            // The module now holds its own references to the weights.
        }
    }

    /** Runs one padded batch; returns (size × dimension) row-major. */
    float[] forward(TokenBatch batch, NDManager scope) {
        if (batch.tokens() > maxPositions) {
            throw new IllegalArgumentException(
                    batch.tokens() + " tokens exceed max_position_embeddings " + maxPositions);
        }
        NDList inputs = batch.toNDList(scope);
        IValue ids = IValue.from((PtNDArray) inputs.get(0));
        IValue mask = inputs.size() > 1 ? IValue.from((PtNDArray) inputs.get(1)) : null;
        try (IValue out =
                mask == null
                        ? IValueUtils.runMethod(block, "unpadded", ids)
                        : IValueUtils.runMethod(block, "forward", ids, mask)) {
            return out.toTensor((PtNDManager) scope).toFloatArray();
        } finally {
            ids.close();
            if (mask != null) {
                mask.close();
            }
        }
    }

    @Override
    public void close() {
        module.close();
    }
}
