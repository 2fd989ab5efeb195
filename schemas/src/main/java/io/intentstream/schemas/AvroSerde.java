package io.intentstream.schemas;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for a generated Avro record using Avro's single-object encoding: two marker bytes,
 * the writer schema's 64-bit fingerprint, then the binary body. No schema registry is needed: the
 * decoder finds the writer schema in a {@link SchemaStore} ({@link KnownSchemas#store()}) and
 * resolves it against the current class's schema, so added or removed fields with defaults read
 * across versions.
 *
 * <p>Null stays null in both directions (tombstones). Bytes that do not decode, or that declare
 * lengths beyond {@link AvroLimits}, raise {@link UndecodableRecordException}. Instances are
 * thread-safe.
 *
 * @param <T> the generated record class
 */
public final class AvroSerde<T extends SpecificRecord>
        implements Serde<T>, Serializer<T>, Deserializer<T> {

    static {
        // Before any decoding loads Avro's limits: see AvroLimits.
        AvroLimits.installDefaults();
    }

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private AvroSerde(Class<T> type, SchemaStore store) {
        this.type = type;
        SpecificData model = SpecificData.getForClass(type);
        Schema schema = model.getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema, store);
    }

    /** A serde that reads every schema in {@link KnownSchemas#store()}. */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return new AvroSerde<>(type, KnownSchemas.store());
    }

    /** A serde that reads the writer schemas in {@code store} (plus the current one). */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, SchemaStore store) {
        return new AvroSerde<>(type, store);
    }

    public Class<T> type() {
        return type;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        try {
            ByteBuffer buffer = encoder.encode(data);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException | AvroRuntimeException e) {
            throw new SerializationException(
                    "cannot encode a " + type.getSimpleName() + " for topic " + topic, e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        String what = type.getSimpleName() + " on topic " + topic;
        try {
            return decoder.decode(data);
        } catch (BadHeaderException e) {
            throw new UndecodableRecordException(
                    DeadLetters.REASON_BAD_HEADER, "not an Avro single-object encoded " + what, e);
        } catch (MissingSchemaException e) {
            throw new UndecodableRecordException(
                    DeadLetters.REASON_UNKNOWN_SCHEMA,
                    "unknown writer schema for a " + what + ": " + e.getMessage(),
                    e);
        } catch (IOException | RuntimeException e) {
            throw new UndecodableRecordException(
                    DeadLetters.REASON_CORRUPT_BODY, "body does not decode as a " + what, e);
        } catch (OutOfMemoryError e) {
            // A declared length the limits let through but the heap cannot hold: the allocation
            // failed as a whole, so nothing is held and the reader can go on with the next record.
            throw new UndecodableRecordException(
                    DeadLetters.REASON_CORRUPT_BODY,
                    "a " + what + " declares more data than this reader can hold",
                    e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {}

    @Override
    public void close() {}
}
