package io.intentstream.encoder;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the weights of a BERT model exported to ONNX by Hugging Face optimum/transformers, without
 * generated ONNX classes: only the protobuf fields needed are decoded, and nothing in the file is
 * executed.
 *
 * <p>Embedding, bias and LayerNorm initializers already carry Hugging Face names. Linear weights
 * are anonymous initializers ({@code onnx::MatMul_NNN}, layout (in, out)); each is named after the
 * MatMul node that consumes it ({@code /encoder/layer.3/attention/self/query/MatMul} becomes {@code
 * encoder.layer.3.attention.self.query.weight}) and transposed to PyTorch's (out, in).
 */
public final class OnnxWeightsReader {

    // ModelProto, GraphProto, NodeProto and TensorProto field numbers from onnx.proto.
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int NODE_INPUT = 1;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_FLOAT_DATA = 4;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int ONNX_FLOAT = 1;

    private static final Pattern MATMUL_NODE = Pattern.compile("^/(.+)/MatMul$");

    private OnnxWeightsReader() {}

    /**
     * Returns every float initializer of the model under its Hugging Face name, in file order.
     *
     * @param onnx the bytes of a {@code .onnx} file; wrapped, not copied
     * @throws IOException if the bytes are not a well-formed ONNX model
     */
    public static Map<String, RawTensor> read(byte[] onnx) throws IOException {
        ByteString graph = null;
        CodedInputStream model = codedInput(UnsafeByteOperations.unsafeWrap(onnx));
        for (int tag = model.readTag(); tag != 0; tag = model.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == MODEL_GRAPH) {
                graph = model.readBytes();
            } else {
                model.skipField(tag);
            }
        }
        if (graph == null) {
            throw new IOException("not an ONNX model: no graph found");
        }
        return readGraph(graph);
    }

    private static Map<String, RawTensor> readGraph(ByteString graph) throws IOException {
        List<RawTensor> initializers = new ArrayList<>();
        Map<String, String> matMulWeightNames = new HashMap<>();
        CodedInputStream in = codedInput(graph);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case GRAPH_NODE -> readNode(in.readBytes(), matMulWeightNames);
                case GRAPH_INITIALIZER -> {
                    RawTensor t = readTensor(in.readBytes());
                    if (t != null) {
                        initializers.add(t);
                    }
                }
                default -> in.skipField(tag);
            }
        }
        Map<String, RawTensor> byName = new LinkedHashMap<>();
        for (RawTensor t : initializers) {
            String linearName = matMulWeightNames.get(t.name());
            RawTensor named = linearName == null ? t : t.transposed(linearName);
            byName.put(named.name(), named);
        }
        return byName;
    }

    /** Records which initializer a MatMul node multiplies by, under the Linear layer's name. */
    private static void readNode(ByteString node, Map<String, String> matMulWeightNames)
            throws IOException {
        List<String> inputs = new ArrayList<>();
        String name = "";
        String opType = "";
        CodedInputStream in = codedInput(node);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case NODE_INPUT -> inputs.add(in.readStringRequireUtf8());
                case NODE_NAME -> name = in.readStringRequireUtf8();
                case NODE_OP_TYPE -> opType = in.readStringRequireUtf8();
                default -> in.skipField(tag);
            }
        }
        Matcher m = MATMUL_NODE.matcher(name);
        if (opType.equals("MatMul") && inputs.size() == 2 && m.matches()) {
            String weightName = m.group(1).replace('/', '.') + ".weight";
            matMulWeightNames.put(inputs.get(1), weightName);
        }
    }

    /** Returns the tensor, or null when it is not float32 (e.g. int64 position ids). */
    private static RawTensor readTensor(ByteString tensor) throws IOException {
        List<Long> dims = new ArrayList<>();
        int dataType = 0;
        String name = "";
        ByteString raw = null;
        List<Float> floats = new ArrayList<>();
        CodedInputStream in = codedInput(tensor);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            int wire = WireFormat.getTagWireType(tag);
            switch (field) {
                case TENSOR_DIMS -> {
                    if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        int limit = in.pushLimit(in.readRawVarint32());
                        while (in.getBytesUntilLimit() > 0) {
                            dims.add(in.readInt64());
                        }
                        in.popLimit(limit);
                    } else {
                        dims.add(in.readInt64());
                    }
                }
                case TENSOR_DATA_TYPE -> dataType = in.readInt32();
                case TENSOR_NAME -> name = in.readStringRequireUtf8();
                case TENSOR_RAW_DATA -> raw = in.readBytes();
                case TENSOR_FLOAT_DATA -> {
                    if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        int limit = in.pushLimit(in.readRawVarint32());
                        while (in.getBytesUntilLimit() > 0) {
                            floats.add(in.readFloat());
                        }
                        in.popLimit(limit);
                    } else {
                        floats.add(in.readFloat());
                    }
                }
                default -> in.skipField(tag);
            }
        }
        if (dataType != ONNX_FLOAT) {
            return null;
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        float[] data;
        if (raw != null) {
            data = new float[raw.size() / Float.BYTES];
            ByteBuffer bb = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            bb.asFloatBuffer().get(data);
        } else {
            data = new float[floats.size()];
            for (int i = 0; i < data.length; i++) {
                data[i] = floats.get(i);
            }
        }
        return new RawTensor(name, shape, data);
    }

    private static CodedInputStream codedInput(ByteString bytes) {
        CodedInputStream in = bytes.newCodedInput();
        in.enableAliasing(true);
        in.setSizeLimit(Integer.MAX_VALUE);
        return in;
    }
}
