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

    /** Stores {@code tokens} rows of k and v at positions {@code pos ..}, rounded to the cache precision. */
    void store(int layer, int pos, float[] k, float[] v, int tokens) {
        reserve(pos + tokens);
        int capacity = keyWidth > 0 ? keys[layer].length / keyWidth : values[layer].length / valueWidth;
        if (pos + tokens > capacity) {
            int c = Math.max(1, Math.min(limit, Math.max(capacity, 64)));
            while (c < pos + tokens) {
                c = Math.min(limit, c * 2);
            }
            keys[layer] = Arrays.copyOf(keys[layer], Math.multiplyExact(c, keyWidth));
            values[layer] = Arrays.copyOf(values[layer], Math.multiplyExact(c, valueWidth));
        }
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
