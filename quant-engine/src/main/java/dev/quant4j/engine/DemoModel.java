package dev.quant4j.engine;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorInfo;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates a llama-shaped F16 model deterministically: every row length a multiple of 256, per-row
 * log-normal scales, Gaussian weights and a few outlier input columns per matrix (the statistics that make
 * real quantization hard), F32 norms near 1. The default dimensions give a model of about 50 MB.
 *
 * @param layers   transformer blocks
 * @param dim      embedding length (multiple of 256)
 * @param ffn      feed-forward length (multiple of 256)
 * @param heads    attention heads
 * @param kvHeads  key/value heads (GQA when fewer than heads)
 * @param vocab    vocabulary size
 * @param seed     generator seed
 */
public record DemoModel(int layers, int dim, int ffn, int heads, int kvHeads, int vocab, long seed) {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int OUTLIER_COLUMNS = 4;

    public DemoModel {
        if (dim % 256 != 0 || ffn % 256 != 0 || dim % heads != 0 || heads % kvHeads != 0 || layers < 1 || vocab < 1) {
            throw new IllegalArgumentException("demo model needs dim and ffn multiples of 256 and heads dividing dim,"
                    + " kv heads dividing heads: " + this);
        }
    }

    /** About 50 MB of F16: 4 layers, 768 wide, 1536 feed-forward, 2048 tokens. */
    public static DemoModel standard() {
        return new DemoModel(4, 768, 1536, 12, 4, 2048, 42);
    }

    /**
     * A larger llama-shaped model of about {@code bytes} of F16 (dim 2048, ffn 5632, 16 heads, 4 KV heads,
     * 32,000 tokens; about 90 MB per layer): for benchmarks and memory tests.
     */
    public static DemoModel ofSize(long bytes, long seed) {
        DemoModel one = new DemoModel(1, 2048, 5632, 16, 4, 32000, seed);
        long perLayer = new DemoModel(2, 2048, 5632, 16, 4, 32000, seed).dataBytes() - one.dataBytes();
        long layers = Math.max(1, Math.round((double) (bytes - (one.dataBytes() - perLayer)) / perLayer));
        return new DemoModel(Math.toIntExact(layers), 2048, 5632, 16, 4, 32000, seed);
    }

    /** The tensors, in the order llama.cpp's converter writes them. */
    public List<TensorInfo> tensors() {
        int kv = dim / heads * kvHeads;
        List<TensorInfo> t = new ArrayList<>();
        t.add(info("token_embd.weight", DType.F16, dim, vocab));
        for (int l = 0; l < layers; l++) {
            String b = "blk." + l + ".";
            t.add(info(b + "attn_norm.weight", DType.F32, dim));
            t.add(info(b + "attn_q.weight", DType.F16, dim, dim));
            t.add(info(b + "attn_k.weight", DType.F16, dim, kv));
            t.add(info(b + "attn_v.weight", DType.F16, dim, kv));
            t.add(info(b + "attn_output.weight", DType.F16, dim, dim));
            t.add(info(b + "ffn_norm.weight", DType.F32, dim));
            t.add(info(b + "ffn_gate.weight", DType.F16, dim, ffn));
            t.add(info(b + "ffn_down.weight", DType.F16, ffn, dim));
            t.add(info(b + "ffn_up.weight", DType.F16, dim, ffn));
        }
        t.add(info("output_norm.weight", DType.F32, dim));
        t.add(info("output.weight", DType.F16, dim, vocab));
        return t;
    }

    private static TensorInfo info(String name, DType type, long... ne) {
        Shape s = Shape.of(ne);
        return new TensorInfo(name, type, s, 0, TensorInfo.byteSize(type, s));
    }

    /** Metadata a llama.cpp loader and the llama-cpp planner expect of a llama model (file type F16). */
    public Metadata metadata() {
        List<Metadata.Entry> m = new ArrayList<>();
        m.add(new Metadata.Entry("general.architecture", new MetaValue.Text("llama")));
        m.add(new Metadata.Entry("general.name", new MetaValue.Text("quant4j demo")));
        m.add(new Metadata.Entry("llama.block_count", MetaValue.u32(layers)));
        m.add(new Metadata.Entry("llama.context_length", MetaValue.u32(2048)));
        m.add(new Metadata.Entry("llama.embedding_length", MetaValue.u32(dim)));
        m.add(new Metadata.Entry("llama.feed_forward_length", MetaValue.u32(ffn)));
        m.add(new Metadata.Entry("llama.attention.head_count", MetaValue.u32(heads)));
        m.add(new Metadata.Entry("llama.attention.head_count_kv", MetaValue.u32(kvHeads)));
        m.add(new Metadata.Entry("llama.rope.dimension_count", MetaValue.u32(dim / heads)));
        m.add(new Metadata.Entry("llama.attention.layer_norm_rms_epsilon", new MetaValue.Real(MetaType.FLOAT32, 1e-5f)));
        m.add(new Metadata.Entry("llama.vocab_size", MetaValue.u32(vocab)));
        m.add(new Metadata.Entry("general.file_type", MetaValue.u32(1)));
        return new Metadata(m);
    }

    /** Bytes of tensor data. */
    public long dataBytes() {
        return tensors().stream().mapToLong(TensorInfo::byteSize).sum();
    }

    /** Writes the model to {@code file} with the registry's {@code gguf} format. */
    public Path write(QuantRegistry registry, Path file) throws IOException {
        FormatProvider gguf = registry.format("gguf");
        List<TensorInfo> tensors = tensors();
        ModelLayout layout = new ModelLayout(metadata(), tensors.stream()
                .map(t -> new ModelLayout.TensorSlot(t.name(), t.type(), t.shape(), t.byteSize())).toList());
        try (ModelWriter w = gguf.create(file, layout, WriteOptions.SINGLE_FILE)) {
            for (int i = 0; i < tensors.size(); i++) {
                fill(tensors.get(i), i, w.tensorData(i));
            }
            w.commit();
        }
        return file;
    }

    private void fill(TensorInfo t, int index, MemorySegment dst) {
        SplitMix rng = new SplitMix(seed * 1_000_003L + index);
        long rowLength = t.shape().rowLength();
        if (t.type() == DType.F32) {
            for (long i = 0; i < rowLength; i++) {
                dst.setAtIndex(F32, i, (float) (1.0 + 0.1 * rng.gauss()));
            }
            return;
        }
        long[] outliers = new long[OUTLIER_COLUMNS];
        for (int k = 0; k < OUTLIER_COLUMNS; k++) {
            outliers[k] = Long.remainderUnsigned(rng.next(), rowLength);
        }
        long rows = t.shape().rows();
        for (long r = 0; r < rows; r++) {
            double rowScale = 0.02 * Math.exp(0.5 * rng.gauss());
            long base = r * rowLength;
            for (long c = 0; c < rowLength; c++) {
                dst.setAtIndex(U16, base + c, Float.floatToFloat16((float) (rng.gauss() * rowScale)));
            }
            for (long c : outliers) {
                dst.setAtIndex(U16, base + c, Float.floatToFloat16((float) (rng.gauss() * rowScale * 12)));
            }
        }
    }

    /** splitmix64 with an Irwin-Hall(4) Gaussian approximation: fast, deterministic everywhere. */
    private static final class SplitMix {
        private long state;

        SplitMix(long seed) {
            this.state = seed;
        }

        long next() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        double gauss() {
            double s = 0;
            for (int i = 0; i < 4; i++) {
                s += (next() >>> 11) * 0x1.0p-53;
            }
            return (s - 2.0) * 1.7320508075688772;
        }
    }
}
