package io.intentstream.streams.processor;

import io.intentstream.avro.BufferedQuery;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The durable FIFO of queries waiting to be embedded: a changelogged store keyed by an increasing
 * sequence number. After a restart it holds what its changelog restored, and numbering continues
 * after the last restored entry.
 */
final class QueryBuffer {

    private final KeyValueStore<Long, BufferedQuery> store;
    private long nextSequence;
    private int size;

    QueryBuffer(KeyValueStore<Long, BufferedQuery> store) {
        this.store = store;
        long last = -1;
        int count = 0;
        try (KeyValueIterator<Long, BufferedQuery> it = store.all()) {
            while (it.hasNext()) {
                last = Math.max(last, it.next().key);
                count++;
            }
        }
        this.nextSequence = last + 1;
        this.size = count;
    }

    /** Appends {@code entry}; returns how many queries wait now. */
    int append(BufferedQuery entry) {
        store.put(nextSequence++, entry);
        return ++size;
    }

    /** The waiting queries, oldest first. */
    List<KeyValue<Long, BufferedQuery>> all() {
        List<KeyValue<Long, BufferedQuery>> entries = new ArrayList<>(size);
        try (KeyValueIterator<Long, BufferedQuery> it = store.all()) {
            it.forEachRemaining(entries::add);
        }
        size = entries.size();
        return entries;
    }

    /**
     * Removes a query once its outcome is forwarded (in the same transaction under exactly-once).
     */
    void remove(long sequence) {
        store.delete(sequence);
        size = Math.max(0, size - 1);
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }
}
