package io.intentstream.encoder;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Token ids of several texts padded to the longest of them, with the matching attention mask.
 *
 * @param ids (size × tokens) row-major, 0 as padding
 * @param mask (size × tokens) row-major, 1 for a token and 0 for padding
 */
public record TokenBatch(long[] ids, long[] mask, int size, int tokens) {

    /** Pads {@code rows} (each a text's ids) to the longest row. */
    public static TokenBatch pad(long[][] rows) {
        int tokens = 1;
        for (long[] r : rows) {
            tokens = Math.max(tokens, r.length);
        }
        long[] ids = new long[rows.length * tokens];
        long[] mask = new long[rows.length * tokens];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, ids, i * tokens, rows[i].length);
            java.util.Arrays.fill(mask, i * tokens, i * tokens + rows[i].length, 1L);
        }
        return new TokenBatch(ids, mask, rows.length, tokens);
    }

    /** True when some row is shorter than the longest. */
    public boolean padded() {
        for (long m : mask) {
            if (m == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The block's input, int64 (size, tokens), created in {@code manager}: (ids, mask), or (ids)
     * alone when no row is padded.
     */
    public NDList toNDList(NDManager manager) {
        Shape shape = new Shape(size, tokens);
        NDList list = new NDList(manager.create(ids, shape));
        if (padded()) {
            list.add(manager.create(mask, shape));
        }
        return list;
    }
}
