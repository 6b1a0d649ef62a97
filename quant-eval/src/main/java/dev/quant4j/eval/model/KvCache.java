package dev.quant4j.eval.model;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import java.util.Arrays;

/**
 * Keys and values of every layer for positions {@code 0 .. length-1}. Each layer's arrays grow by doubling up to
 * the limit when first written, so a cache used for one layer only (layer streaming) holds that layer alone.
 */
final class KvCache {
    private static final float[] EMPTY = new float[0];
    private final float[][] keys;
    private final float[][] values;
    private final int keyWidth;
    private final int valueWidth;
    private final int limit;
    private final boolean f16;

    KvCache(int layers, int keyWidth, int valueWidth, int limit, KvPrecision precision) {
        this.keyWidth = keyWidth;
        this.valueWidth = valueWidth;
        this.limit = limit;
        this.f16 = precision == KvPrecision.F16;
        this.keys = new float[layers][];
        this.values = new float[layers][];
        Arrays.fill(keys, EMPTY);
        Arrays.fill(values, EMPTY);
    }

    /** Fails before any work when {@code end} positions would not fit. */
    void reserve(int end) {
        if (end > limit) {
            throw new QuantException(ErrorCode.INVALID_PLAN, "the K/V cache holds " + limit + " positions; "
                    + end + " requested (raise maxContext, at most the model's context length by default)");
        }
    }

    /**
     * Makes room for positions below {@code end} in {@code layer} (growing by doubling; a layer's first arrays taken
     * from {@code spare}). Call before {@link #storeColumns} from one thread; then several threads may store
     * disjoint columns.
     */
    void ensure(int layer, int end, BatchBuffers spare) {
        reserve(end);
        int capacity = keyWidth > 0 ? keys[layer].length / keyWidth : values[layer].length / valueWidth;
        if (end > capacity) {
            int c = Math.max(1, Math.min(limit, Math.max(capacity, 64)));
            while (c < end) {
                c = Math.min(limit, c * 2);
            }
            int kn = Math.multiplyExact(c, keyWidth);
            int vn = Math.multiplyExact(c, valueWidth);
            boolean fresh = capacity == 0;   // a layer's first arrays from spare: nothing is read before it is stored
            keys[layer] = fresh ? spare.take(kn) : Arrays.copyOf(keys[layer], kn);
            values[layer] = fresh ? spare.take(vn) : Arrays.copyOf(values[layer], vn);
        }
    }

    /** Hands every layer's arrays to {@code spare} and empties the cache (a batch's block is done with it). */
    void recycle(BatchBuffers spare) {
        for (int l = 0; l < keys.length; l++) {
            spare.give(keys[l]);
            spare.give(values[l]);
            keys[l] = EMPTY;
            values[l] = EMPTY;
        }
    }

    /**
     * Stores columns {@code [keyCol, keyCol + keyLen)} of {@code tokens} key rows ({@code k} row r at
     * {@code kRow + r}, rows of the cache's key width) and columns {@code [valueCol, valueCol + valueLen)} of the
     * value rows at positions {@code pos ..}: one KV head of a batch. The capacity must have been {@link #ensure}d.
     */
    void storeColumns(int layer, int pos, int tokens, float[] k, int kRow, int keyCol, int keyLen,
                      float[] v, int vRow, int valueCol, int valueLen) {
        for (int t = 0; t < tokens; t++) {
            put(k, (kRow + t) * keyWidth + keyCol, keys[layer], (pos + t) * keyWidth + keyCol, keyLen);
            put(v, (vRow + t) * valueWidth + valueCol, values[layer], (pos + t) * valueWidth + valueCol, valueLen);
        }
    }

    private void put(float[] src, int from, float[] dst, int at, int n) {
        if (f16) {
            for (int i = 0; i < n; i++) {
                dst[at + i] = Float.float16ToFloat(Float.floatToFloat16(src[from + i]));
            }
        } else {
            System.arraycopy(src, from, dst, at, n);
        }
    }

    float[] keys(int layer) {
        return keys[layer];
    }

    float[] values(int layer) {
        return values[layer];
    }
}
