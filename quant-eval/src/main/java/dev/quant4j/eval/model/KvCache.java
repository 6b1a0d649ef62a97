package dev.quant4j.eval.model;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import java.util.Arrays;

/** Keys and values of every layer for positions {@code 0 .. length-1}; grows by doubling up to its limit. */
final class KvCache {
    private final float[][] keys;
    private final float[][] values;
    private final int keyWidth;
    private final int valueWidth;
    private final int limit;
    private final boolean f16;
    private int capacity;

    KvCache(int layers, int keyWidth, int valueWidth, int limit, KvPrecision precision) {
        this.keyWidth = keyWidth;
        this.valueWidth = valueWidth;
        this.limit = limit;
        this.f16 = precision == KvPrecision.F16;
        this.capacity = Math.min(limit, 64);
        this.keys = new float[layers][capacity * keyWidth];
        this.values = new float[layers][capacity * valueWidth];
    }

    /** Fails before any work when {@code end} positions would not fit. */
    void reserve(int end) {
        if (end > limit) {
            throw new QuantException(ErrorCode.INVALID_PLAN, "the K/V cache holds " + limit + " positions; "
                    + end + " requested (raise maxContext, at most the model's context length by default)");
        }
        if (end > capacity) {
            int c = capacity;
            while (c < end) {
                c = Math.min(limit, c * 2);
            }
            for (int l = 0; l < keys.length; l++) {
                keys[l] = Arrays.copyOf(keys[l], Math.multiplyExact(c, keyWidth));
                values[l] = Arrays.copyOf(values[l], Math.multiplyExact(c, valueWidth));
            }
            capacity = c;
        }
    }

    /** Stores {@code tokens} rows of k and v at positions {@code pos ..}, rounded to the cache precision. */
    void store(int layer, int pos, float[] k, float[] v, int tokens) {
        put(k, keys[layer], pos * keyWidth, tokens * keyWidth);
        put(v, values[layer], pos * valueWidth, tokens * valueWidth);
    }

    private void put(float[] src, float[] dst, int at, int n) {
        if (f16) {
            for (int i = 0; i < n; i++) {
                dst[at + i] = Float.float16ToFloat(Float.floatToFloat16(src[i]));
            }
        } else {
            System.arraycopy(src, 0, dst, at, n);
        }
    }

    float[] keys(int layer) {
        return keys[layer];
    }

    float[] values(int layer) {
        return values[layer];
    }
}
