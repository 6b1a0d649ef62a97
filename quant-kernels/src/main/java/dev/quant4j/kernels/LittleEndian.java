package dev.quant4j.kernels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian reads and writes of multi-byte fields inside byte arrays (every ggml block field is LE). */
public final class LittleEndian {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private LittleEndian() {
    }

    public static short getShort(byte[] b, int off) {
        return (short) SHORT.get(b, off);
    }

    public static void putShort(byte[] b, int off, short v) {
        SHORT.set(b, off, v);
    }

    public static int getInt(byte[] b, int off) {
        return (int) INT.get(b, off);
    }

    public static void putInt(byte[] b, int off, int v) {
        INT.set(b, off, v);
    }

    public static float getFloat(byte[] b, int off) {
        return (float) FLOAT.get(b, off);
    }

    public static void putFloat(byte[] b, int off, float v) {
        FLOAT.set(b, off, v);
    }

    /** The fp16 at {@code off} widened to float (ggml's GGML_FP16_TO_FP32). */
    public static float getHalf(byte[] b, int off) {
        return Half.f32(getShort(b, off));
    }

    /** Stores {@code fp16(v)} at {@code off} and returns the value it reads back as. */
    public static float putHalf(byte[] b, int off, float v) {
        short h = Half.fp16(v);
        putShort(b, off, h);
        return Half.f32(h);
    }
}
