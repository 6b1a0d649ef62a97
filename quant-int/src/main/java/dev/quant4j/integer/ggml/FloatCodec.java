package dev.quant4j.integer.ggml;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.Half;
import dev.quant4j.kernels.LittleEndian;

/** F32, F16 and BF16 rows: element-wise conversions (spec section 9 and 0.4), rows of any length. */
enum FloatCodec implements RowCodec {
    F32(DType.F32) {
        @Override
        public void encode(float[] x, int n, float[] importance, byte[] out, int off) {
            for (int i = 0; i < n; i++) {
                LittleEndian.putFloat(out, off + 4 * i, x[i]);
            }
        }

        @Override
        public void decode(byte[] in, int off, float[] y, int yOff, int n) {
            for (int i = 0; i < n; i++) {
                y[yOff + i] = LittleEndian.getFloat(in, off + 4 * i);
            }
        }
    },
    F16(DType.F16) {
        @Override
        public void encode(float[] x, int n, float[] importance, byte[] out, int off) {
            for (int i = 0; i < n; i++) {
                LittleEndian.putShort(out, off + 2 * i, Half.fp16(x[i]));
            }
        }

        @Override
        public void decode(byte[] in, int off, float[] y, int yOff, int n) {
            for (int i = 0; i < n; i++) {
                y[yOff + i] = Half.f32(LittleEndian.getShort(in, off + 2 * i));
            }
        }
    },
    BF16(DType.BF16) {
        @Override
        public void encode(float[] x, int n, float[] importance, byte[] out, int off) {
            for (int i = 0; i < n; i++) {
                LittleEndian.putShort(out, off + 2 * i, Half.bf16(x[i]));
            }
        }

        @Override
        public void decode(byte[] in, int off, float[] y, int yOff, int n) {
            for (int i = 0; i < n; i++) {
                y[yOff + i] = Half.bf16ToF32(LittleEndian.getShort(in, off + 2 * i));
            }
        }
    };

    private final DType type;

    FloatCodec(DType type) {
        this.type = type;
    }

    @Override
    public DType type() {
        return type;
    }

    @Override
    public boolean usesImportance() {
        return false;
    }
}
