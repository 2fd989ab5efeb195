package io.intentstream.trainer.job;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.avro.TrainingExample;
import io.intentstream.schemas.AvroSerde;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The trainer's durable training set in RocksDB: confirmed examples deduplicated by query id (the
 * latest feedback on a query wins) with the sequence number of their arrival, the intent catalog as
 * last read from the intents topic, and the sequence up to which examples were trained on.
 *
 * <p>Writes are synchronous (WAL fsync) so that offsets committed after a write never point past
 * what the store holds.
 */
public final class TrainingSetStore implements AutoCloseable {

    static {
        RocksDB.loadLibrary();
    }

    private static final String EXAMPLE = "ex/";
    private static final String INTENT = "in/";
    private static final byte[] NEXT_SEQUENCE = bytes("meta/next-seq");
    private static final byte[] TRAINED_SEQUENCE = bytes("meta/trained-seq");

    /** An example with the order of its (latest) arrival. */
    public record StoredExample(long sequence, TrainingExample example) {}

    private final Options options;
    private final RocksDB db;
    private final WriteOptions syncWrites = new WriteOptions().setSync(true);
    private final AvroSerde<TrainingExample> examples = AvroSerde.of(TrainingExample.class);
    private final AvroSerde<IntentDefinition> intents = AvroSerde.of(IntentDefinition.class);
    private long nextSequence;

    public TrainingSetStore(Path dir) {
        try {
            Files.createDirectories(dir);
            this.options = new Options().setCreateIfMissing(true);
            this.db = RocksDB.open(options, dir.toString());
            this.nextSequence = readLong(NEXT_SEQUENCE, 0);
        } catch (java.io.IOException | RocksDBException e) {
            throw new IllegalStateException(
                    "cannot open the training set in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stores a batch of examples and catalog changes atomically; a null definition deletes its
     * intent.
     */
    public synchronized void write(
            List<TrainingExample> newExamples, Map<String, IntentDefinition> catalogChanges) {
        try (WriteBatch batch = new WriteBatch()) {
            long seq = nextSequence;
            for (TrainingExample e : newExamples) {
                byte[] value = examples.serialize(null, e);
                batch.put(
                        bytes(EXAMPLE + e.getQueryId()),
                        ByteBuffer.allocate(8 + value.length).putLong(seq++).put(value).array());
            }
            for (Map.Entry<String, IntentDefinition> c : catalogChanges.entrySet()) {
                if (c.getValue() == null) {
                    batch.delete(bytes(INTENT + c.getKey()));
                } else {
                    batch.put(bytes(INTENT + c.getKey()), intents.serialize(null, c.getValue()));
                }
            }
            batch.put(NEXT_SEQUENCE, ByteBuffer.allocate(8).putLong(seq).array());
            db.write(syncWrites, batch);
            nextSequence = seq;
        } catch (RocksDBException e) {
            throw new IllegalStateException(
                    "cannot write to the training set: " + e.getMessage(), e);
        }
    }

    /** Every stored example, in key order. */
    public synchronized List<StoredExample> examples() {
        List<StoredExample> out = new ArrayList<>();
        byte[] prefix = bytes(EXAMPLE);
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                ByteBuffer value = ByteBuffer.wrap(it.value());
                long seq = value.getLong();
                out.add(
                        new StoredExample(
                                seq,
                                examples.deserialize(
                                        null,
                                        Arrays.copyOfRange(it.value(), 8, it.value().length))));
            }
        }
        return out;
    }

    /** The catalog by intent id, in key order. */
    public synchronized Map<String, IntentDefinition> catalog() {
        Map<String, IntentDefinition> out = new LinkedHashMap<>();
        byte[] prefix = bytes(INTENT);
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                IntentDefinition d = intents.deserialize(null, it.value());
                out.put(d.getIntentId(), d);
            }
        }
        return out;
    }

    /** Examples with a sequence at or above this one have not been trained on. */
    public synchronized long trainedSequence() {
        return readLong(TRAINED_SEQUENCE, 0);
    }

    public synchronized long nextSequence() {
        return nextSequence;
    }

    /** Examples that arrived since the last run. */
    public synchronized long newExamples() {
        return nextSequence - trainedSequence();
    }

    public synchronized void markTrained(long sequence) {
        try {
            db.put(syncWrites, TRAINED_SEQUENCE, ByteBuffer.allocate(8).putLong(sequence).array());
        } catch (RocksDBException e) {
            throw new IllegalStateException(
                    "cannot write to the training set: " + e.getMessage(), e);
        }
    }

    private long readLong(byte[] key, long absent) {
        try {
            byte[] v = db.get(key);
            return v == null ? absent : ByteBuffer.wrap(v).getLong();
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot read the training set: " + e.getMessage(), e);
        }
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length
                && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        syncWrites.close();
        db.close();
        options.close();
    }
}
