package io.intentstream.encoder;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saves and loads models in the sentence-transformers directory layout, so that Python {@code
 * SentenceTransformer(dir)} loads what this saves, and this loads BERT-family models saved by
 * sentence-transformers or Hugging Face transformers.
 *
 * <p>Weights are read only from {@code model.safetensors}: pickled checkpoints ({@code
 * pytorch_model.bin}) can execute code and are refused.
 */
public final class ModelDirectory {

    public static final String WEIGHTS_FILE = "model.safetensors";

    /** Largest {@code tokenizer.json} loaded: real ones are a few MB. */
    public static final long MAX_TOKENIZER_BYTES = 64L * 1024 * 1024;

    private static final String POOLING_DIR = "1_Pooling";
    private static final String NORMALIZE_DIR = "2_Normalize";
    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private final Clock clock;

    public ModelDirectory(Clock clock) {
        this.clock = clock;
    }

    public ModelDirectory() {
        this(Clock.systemUTC());
    }

    /**
     * Loads the model in {@code dir} onto {@code device}.
     *
     * @throws IOException if a file is missing or malformed; the message names the file
     */
    public SentenceModel load(Path dir, Device device) throws IOException {
        BertConfig config = BertConfig.fromJson(read(dir.resolve("config.json")));
        Path weights = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(weights)) {
            String hint =
                    Files.exists(dir.resolve("pytorch_model.bin"))
                            ? " (pytorch_model.bin is a pickle and is not loaded: convert it to"
                                    + " safetensors)"
                            : "";
            throw new IOException("no " + WEIGHTS_FILE + " in " + dir + hint);
        }
        SafetensorsHeader.validate(weights);
        Path tokenizerFile = requireFile(dir.resolve("tokenizer.json"));
        if (Files.size(tokenizerFile) > MAX_TOKENIZER_BYTES) {
            throw new IOException(
                    tokenizerFile + " is larger than the " + MAX_TOKENIZER_BYTES + " bytes loaded");
        }
        byte[] tokenizer = Files.readAllBytes(tokenizerFile);
        boolean normalize = false;
        PoolingMode pooling = PoolingMode.MEAN;
        if (Files.isRegularFile(dir.resolve("modules.json"))) {
            for (JsonElement e :
                    JsonParser.parseString(read(dir.resolve("modules.json"))).getAsJsonArray()) {
                JsonObject module = e.getAsJsonObject();
                String type = module.get("type").getAsString();
                if (type.endsWith(".Normalize")) {
                    normalize = true;
                } else if (type.endsWith(".Pooling")) {
                    pooling =
                            poolingMode(
                                    inside(dir, module.get("path").getAsString())
                                            .resolve("config.json"));
                }
            }
        }
        JsonObject stConfig = readOptionalJson(dir.resolve("sentence_bert_config.json"));
        int maxSeqLength =
                stConfig != null && stConfig.has("max_seq_length")
                        ? stConfig.get("max_seq_length").getAsInt()
                        : config.maxPositionEmbeddings();
        JsonObject manifestJson = readOptionalJson(dir.resolve(ModelManifest.FILE_NAME));
        ModelManifest manifest =
                manifestJson != null
                        ? ModelManifest.fromJson(manifestJson.toString())
                        : ModelManifest.base(dir.getFileName().toString());

        Map<String, RawTensor> tensors = readSafetensors(weights);
        return SentenceModel.fromTensors(
                config, pooling, normalize, tensors, tokenizer, maxSeqLength, manifest, device);
    }

    /**
     * Writes {@code model} to {@code dir} (created if absent) with {@code manifest}, whose sha256
     * is set to the weights file's.
     *
     * @return the manifest as written
     */
    public ModelManifest save(SentenceModel model, ModelManifest manifest, Path dir)
            throws IOException {
        Files.createDirectories(dir.resolve(POOLING_DIR));
        Path weights = dir.resolve(WEIGHTS_FILE);
        writeSafetensors(model.block(), weights);
        write(dir.resolve("config.json"), GSON.toJson(model.config().toJson()));
        Files.write(dir.resolve("tokenizer.json"), model.tokenizerJson());
        write(
                dir.resolve("tokenizer_config.json"),
                GSON.toJson(tokenizerConfig(model.maxSeqLength())));
        write(dir.resolve("special_tokens_map.json"), GSON.toJson(specialTokens()));
        write(dir.resolve("modules.json"), GSON.toJson(modules(model.block().normalizes())));
        JsonObject stConfig = new JsonObject();
        stConfig.addProperty("max_seq_length", model.maxSeqLength());
        stConfig.addProperty("do_lower_case", false);
        write(dir.resolve("sentence_bert_config.json"), GSON.toJson(stConfig));
        write(dir.resolve(POOLING_DIR).resolve("config.json"), GSON.toJson(poolingConfig(model)));
        if (model.block().normalizes()) {
            Files.createDirectories(dir.resolve(NORMALIZE_DIR));
        }
        ModelManifest sealed = manifest.sealed(sha256(weights), clock.instant());
        write(dir.resolve(ModelManifest.FILE_NAME), sealed.toJson());
        return sealed;
    }

    /** Hex sha256 of a file. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in =
                new DigestInputStream(
                        Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    private static void writeSafetensors(BertSentenceBlock block, Path file) throws IOException {
        try (NDManager cpu = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDList list = new NDList();
            for (Map.Entry<String, Parameter> e : block.namedParameters().entrySet()) {
                NDArray copy =
                        e.getValue()
                                .getArray()
                                .toDevice(Device.cpu(), true)
                                .toType(DataType.FLOAT32, true);
                copy.attach(cpu);
                copy.setName(e.getKey());
                list.add(copy);
            }
            byte[] encoded = list.encode(NDList.Encoding.SAFETENSORS);
            Files.write(file, withPyTorchFormatMetadata(encoded));
        }
    }

    /**
     * Adds {@code "__metadata__": {"format": "pt"}} to a safetensors header, which some versions of
     * Hugging Face transformers require. Layout: u64 little-endian header length, JSON header,
     * tensor bytes (offsets relative to the end of the header, so they stay valid).
     */
    static byte[] withPyTorchFormatMetadata(byte[] safetensors) {
        java.nio.ByteBuffer in =
                java.nio.ByteBuffer.wrap(safetensors).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int headerLength = Math.toIntExact(in.getLong(0));
        JsonObject header =
                JsonParser.parseString(
                                new String(
                                        safetensors,
                                        Long.BYTES,
                                        headerLength,
                                        StandardCharsets.UTF_8))
                        .getAsJsonObject();
        JsonObject metadata = new JsonObject();
        metadata.addProperty("format", "pt");
        header.add("__metadata__", metadata);
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded =
                (json.length + 7) / 8 * 8; // the format recommends 8-byte alignment, space-padded
        int dataLength = safetensors.length - Long.BYTES - headerLength;
        java.nio.ByteBuffer out =
                java.nio.ByteBuffer.allocate(Long.BYTES + padded + dataLength)
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        out.put(safetensors, Long.BYTES + headerLength, dataLength);
        return out.array();
    }

    /**
     * {@code relative} resolved in {@code dir}, refused when it leads outside it (by {@code ..}, an
     * absolute path or a symbolic link).
     */
    static Path inside(Path dir, String relative) throws IOException {
        Path root = dir.toRealPath();
        Path resolved = root.resolve(relative).normalize();
        Path real = Files.exists(resolved) ? resolved.toRealPath() : resolved;
        if (!real.startsWith(root)) {
            throw new IOException(
                    "modules.json in " + dir + " names a module path outside the model directory");
        }
        return real;
    }

    /**
     * Reads every float tensor of a safetensors file, with BERT names normalised to {@code
     * BertModel}'s.
     */
    static Map<String, RawTensor> readSafetensors(Path file) throws IOException {
        Map<String, RawTensor> tensors = new LinkedHashMap<>();
        try (NDManager cpu = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                InputStream in = Files.newInputStream(file)) {
            NDList list = NDList.decode(cpu, in);
            for (NDArray a : list) {
                if (!a.getDataType().isFloating()) {
                    continue;
                }
                String name = huggingFaceName(a.getName());
                float[] data = a.toType(DataType.FLOAT32, false).toFloatArray();
                tensors.put(name, new RawTensor(name, a.getShape().getShape(), data));
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return tensors;
    }

    /**
     * Maps checkpoint names of {@code BertForX} models and old gamma/beta names to {@code
     * BertModel}'s.
     */
    static String huggingFaceName(String name) {
        String n = name.startsWith("bert.") ? name.substring("bert.".length()) : name;
        if (n.endsWith("LayerNorm.gamma")) {
            n = n.substring(0, n.length() - "gamma".length()) + "weight";
        } else if (n.endsWith("LayerNorm.beta")) {
            n = n.substring(0, n.length() - "beta".length()) + "bias";
        }
        return n;
    }

    private static PoolingMode poolingMode(Path config) throws IOException {
        JsonObject o = readOptionalJson(config);
        if (o == null) {
            return PoolingMode.MEAN;
        }
        if (flag(o, "pooling_mode_mean_tokens")) {
            return PoolingMode.MEAN;
        }
        if (flag(o, "pooling_mode_cls_token")) {
            return PoolingMode.CLS;
        }
        if (flag(o, "pooling_mode_max_tokens")) {
            return PoolingMode.MAX;
        }
        throw new IOException(config + ": only mean, cls or max pooling is supported");
    }

    private static boolean flag(JsonObject o, String key) {
        return o.has(key) && o.get(key).getAsBoolean();
    }

    private static JsonObject poolingConfig(SentenceModel model) {
        PoolingMode mode = model.block().pooling();
        JsonObject o = new JsonObject();
        o.addProperty("word_embedding_dimension", model.dimension());
        o.addProperty("pooling_mode_cls_token", mode == PoolingMode.CLS);
        o.addProperty("pooling_mode_mean_tokens", mode == PoolingMode.MEAN);
        o.addProperty("pooling_mode_max_tokens", mode == PoolingMode.MAX);
        o.addProperty("pooling_mode_mean_sqrt_len_tokens", false);
        o.addProperty("pooling_mode_weightedmean_tokens", false);
        o.addProperty("pooling_mode_lasttoken", false);
        o.addProperty("include_prompt", true);
        return o;
    }

    private static JsonArray modules(boolean normalize) {
        JsonArray a = new JsonArray();
        a.add(module(0, "", "sentence_transformers.models.Transformer"));
        a.add(module(1, POOLING_DIR, "sentence_transformers.models.Pooling"));
        if (normalize) {
            a.add(module(2, NORMALIZE_DIR, "sentence_transformers.models.Normalize"));
        }
        return a;
    }

    private static JsonObject module(int idx, String path, String type) {
        JsonObject o = new JsonObject();
        o.addProperty("idx", idx);
        o.addProperty("name", Integer.toString(idx));
        o.addProperty("path", path);
        o.addProperty("type", type);
        return o;
    }

    private static JsonObject tokenizerConfig(int maxSeqLength) {
        JsonObject o = new JsonObject();
        o.addProperty("tokenizer_class", "BertTokenizer");
        o.addProperty("do_lower_case", true);
        o.addProperty("model_max_length", maxSeqLength);
        o.addProperty("clean_up_tokenization_spaces", true);
        specialTokens().entrySet().forEach(e -> o.add(e.getKey(), e.getValue()));
        return o;
    }

    private static JsonObject specialTokens() {
        JsonObject o = new JsonObject();
        o.addProperty("cls_token", "[CLS]");
        o.addProperty("mask_token", "[MASK]");
        o.addProperty("pad_token", "[PAD]");
        o.addProperty("sep_token", "[SEP]");
        o.addProperty("unk_token", "[UNK]");
        return o;
    }

    private static Path requireFile(Path p) throws IOException {
        if (!Files.isRegularFile(p)) {
            throw new IOException("missing " + p);
        }
        return p;
    }

    private static String read(Path p) throws IOException {
        return Files.readString(requireFile(p), StandardCharsets.UTF_8);
    }

    private static JsonObject readOptionalJson(Path p) throws IOException {
        if (!Files.isRegularFile(p)) {
            return null;
        }
        JsonElement e = JsonParser.parseString(Files.readString(p, StandardCharsets.UTF_8));
        return e.isJsonObject() ? e.getAsJsonObject() : null;
    }

    private static void write(Path p, String text) throws IOException {
        Files.writeString(p, text + "\n", StandardCharsets.UTF_8);
    }
}
