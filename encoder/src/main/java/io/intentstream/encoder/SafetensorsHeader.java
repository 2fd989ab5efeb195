package io.intentstream.encoder;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a {@code model.safetensors} file in Java before any native code reads it, as the
 * safetensors format itself requires: the header length fits the file and a cap, the header is
 * JSON, every tensor has a known dtype, a shape of non-negative sizes whose element count times the
 * dtype's size (overflow-checked) equals its byte range, and the byte ranges lie inside the data,
 * in order, without gaps or overlaps. A release's weights come from outside; a file that declares
 * more than it holds must be refused here, not by a crash in the engine.
 */
public final class SafetensorsHeader {

    /** The format's own cap on the header: 100 MB. */
    public static final long MAX_HEADER_BYTES = 100L * 1000 * 1000;

    /** Largest weights file loaded: far above any sentence encoder this project serves. */
    public static final long MAX_FILE_BYTES = 8L * 1024 * 1024 * 1024;

    private static final Map<String, Integer> DTYPE_BYTES =
            Map.ofEntries(
                    Map.entry("F64", 8),
                    Map.entry("F32", 4),
                    Map.entry("F16", 2),
                    Map.entry("BF16", 2),
                    Map.entry("I64", 8),
                    Map.entry("I32", 4),
                    Map.entry("I16", 2),
                    Map.entry("I8", 1),
                    Map.entry("U8", 1),
                    Map.entry("BOOL", 1));

    private SafetensorsHeader() {}

    /**
     * @throws IOException naming {@code file} and what is wrong with it
     */
    public static void validate(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw refused(file, size + " bytes is more than the " + MAX_FILE_BYTES + " loaded");
        }
        if (size < Long.BYTES) {
            throw refused(file, "shorter than the 8-byte header length");
        }
        long headerLength;
        byte[] header;
        try (InputStream in = Files.newInputStream(file)) {
            headerLength =
                    ByteBuffer.wrap(in.readNBytes(Long.BYTES))
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .getLong();
            if (headerLength < 2
                    || headerLength > MAX_HEADER_BYTES
                    || headerLength > size - Long.BYTES) {
                throw refused(
                        file,
                        "declares a header of "
                                + Long.toUnsignedString(headerLength)
                                + " bytes in a file of "
                                + size);
            }
            header = in.readNBytes((int) headerLength);
        }
        long dataLength = size - Long.BYTES - headerLength;
        JsonObject tensors;
        try {
            JsonElement parsed = JsonParser.parseString(new String(header, StandardCharsets.UTF_8));
            if (!parsed.isJsonObject()) {
                throw refused(file, "the header is not a JSON object");
            }
            tensors = parsed.getAsJsonObject();
        } catch (JsonParseException e) {
            throw refused(file, "the header is not JSON");
        }
        List<long[]> ranges = new ArrayList<>();
        for (Map.Entry<String, JsonElement> entry : tensors.entrySet()) {
            if (entry.getKey().equals("__metadata__")) {
                continue;
            }
            ranges.add(range(file, entry.getKey(), entry.getValue(), dataLength));
        }
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        long next = 0;
        for (long[] r : ranges) {
            if (r[0] != next) {
                throw refused(file, "tensor data has a gap or an overlap at byte " + r[0]);
            }
            next = r[1];
        }
        if (next != dataLength) {
            throw refused(file, "tensors cover " + next + " of its " + dataLength + " data bytes");
        }
    }

    // The tensor's [begin, end) in the data, once its dtype, shape and offsets agree.
    private static long[] range(Path file, String name, JsonElement value, long dataLength)
            throws IOException {
        try {
            JsonObject tensor = value.getAsJsonObject();
            String dtype = tensor.get("dtype").getAsString();
            Integer itemBytes = DTYPE_BYTES.get(dtype);
            if (itemBytes == null) {
                throw refused(file, "tensor " + name + " has the unknown dtype " + dtype);
            }
            long elements = 1;
            for (JsonElement d : tensor.get("shape").getAsJsonArray()) {
                long dim = d.getAsLong();
                if (dim < 0) {
                    throw refused(file, "tensor " + name + " has a negative dimension");
                }
                elements = Math.multiplyExact(elements, dim);
            }
            if (elements > Integer.MAX_VALUE) {
                throw refused(file, "tensor " + name + " has more elements than an array holds");
            }
            long bytes = Math.multiplyExact(elements, (long) itemBytes);
            var offsets = tensor.get("data_offsets").getAsJsonArray();
            long begin = offsets.get(0).getAsLong();
            long end = offsets.get(1).getAsLong();
            if (offsets.size() != 2 || begin < 0 || end < begin || end > dataLength) {
                throw refused(file, "tensor " + name + " has offsets outside the data");
            }
            if (end - begin != bytes) {
                throw refused(
                        file,
                        "tensor "
                                + name
                                + " declares "
                                + bytes
                                + " bytes of "
                                + dtype
                                + " but its offsets hold "
                                + (end - begin));
            }
            return new long[] {begin, end};
        } catch (ArithmeticException e) {
            throw refused(file, "tensor " + name + " has a shape whose size overflows");
        } catch (IllegalStateException
                | UnsupportedOperationException
                | NullPointerException
                | IndexOutOfBoundsException
                | NumberFormatException e) {
            throw refused(
                    file, "tensor " + name + " is not described by dtype, shape and data_offsets");
        }
    }

    private static IOException refused(Path file, String why) {
        return new IOException(file + " is not a valid safetensors file: " + why);
    }
}
