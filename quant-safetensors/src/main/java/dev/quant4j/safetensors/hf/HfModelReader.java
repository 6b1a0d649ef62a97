package dev.quant4j.safetensors.hf;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.ContainerInfo;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.safetensors.io.SafetensorsReader;
import dev.quant4j.api.json.JsonValue;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face llama-family checkpoint directory (llama, Mixtral, qwen2, qwen3, qwen3moe) presented as the GGUF model convert_hf_to_gguf.py makes of it: GGUF
 * tensor names in its order (files sorted, names sorted inside each file), llama.* / general.* / tokenizer.*
 * metadata, attn_q/attn_k rows permuted from HF's rotate-half order to llama.cpp's, 1-D tensors and norms as F32.
 * Matrices keep their stored precision (F32, F16 or BF16), so a quantizer sees the checkpoint's own values and
 * {@code F32}/{@code F16}/{@code BF16} targets give convert_hf_to_gguf's {@code --outtype} results. Views that
 * need no permutation or widening are zero-copy; the others are built per tensor when asked for, off-heap.
 */
public final class HfModelReader implements ModelReader {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path dir;
    private final SafetensorsReader raw;
    private final Metadata metadata;
    private final List<HfTensor> tensors;
    private final List<TensorInfo> infos;
    private final Map<String, HfTensor> byName;
    private final int[] fp8Block;

    private HfModelReader(Path dir, SafetensorsReader raw, Metadata metadata, List<HfTensor> tensors, int[] fp8Block) {
        this.dir = dir;
        this.raw = raw;
        this.metadata = metadata;
        this.tensors = List.copyOf(tensors);
        this.infos = tensors.stream().map(HfTensor::info).toList();
        Map<String, HfTensor> m = new HashMap<>();
        tensors.forEach(t -> m.put(t.info().name(), t));
        this.byName = Map.copyOf(m);
        this.fp8Block = fp8Block;
    }

    public static HfModelReader open(Path dir) throws IOException {
        Path configFile = dir.resolve("config.json");
        JsonValue.Obj config = JsonFiles.read(configFile);
        String archName = config.array("architectures").flatMap(a -> a.values().stream().findFirst())
                .filter(JsonValue.Str.class::isInstance).map(v -> ((JsonValue.Str) v).value()).orElse("?");
        HfArch arch = HfArch.of(archName).orElseThrow(() -> new QuantException(ErrorCode.UNSUPPORTED_TYPE, configFile
                + ": architecture " + archName + " is not supported for Hugging Face → GGUF (supported: "
                + HfArch.supported() + ")"));
        LlamaConfig cfg = LlamaConfig.of(configFile, config, arch);
        int[] fp8Block = Fp8Scales.blockSize(configFile, config);
        CtDecoded.Args compressed = CtDecoded.of(configFile, config);
        SafetensorsReader raw = SafetensorsReader.open(dir);
        try {
            List<HfTensor> tensors = plan(raw, cfg, fp8Block, compressed);
            long params = tensors.stream().mapToLong(t -> t.info().shape().elementCount()).sum();
            DType stored = tensors.stream().map(t -> t.source().type()).filter(t -> t != DType.F32).findFirst()
                    .orElse(DType.F32);
            List<Metadata.Entry> e = new ArrayList<>(cfg.entries(dir, params, stored));
            e.addAll(Vocab.entries(dir, config, arch.writesAddSpacePrefix()));
            return new HfModelReader(dir, raw, new Metadata(e), tensors, fp8Block);
        } catch (IOException | RuntimeException | Error ex) {
            raw.close();
            throw ex;
        }
    }

    /**
     * The view's tensors in convert_hf_to_gguf's order: files sorted, names sorted inside each; a layer's experts
     * become three merged tensors at the point where its last expert tensor was read; FP8 scales are consumed.
     */
    private static List<HfTensor> plan(SafetensorsReader raw, LlamaConfig cfg, int[] fp8Block, CtDecoded.Args compressed)
            throws CorruptFormatException {
        List<TensorInfo> sources = new ArrayList<>(raw.tensors());
        sources.sort(Comparator.comparingInt((TensorInfo t) -> raw.shardOf(t.name())).thenComparing(TensorInfo::name));
        Map<String, TensorInfo> byName = new HashMap<>();
        sources.forEach(t -> byName.put(t.name(), t));
        ExpertMerger experts = new ExpertMerger(cfg.experts().orElse(0L));
        List<HfTensor> out = new ArrayList<>();
        for (TensorInfo s : sources) {
            Path file = raw.container().files().get(raw.shardOf(s.name()));
            if (LlamaNames.skipped(s.name()) || Fp8Scales.isScaleOf(s.name(), byName)
                    || compressed != null && CtDecoded.isAux(s.name(), byName)) {
                continue;
            }
            CtDecoded.Weight ct = CtDecoded.weight(file, s, byName, compressed, raw);
            HfTensor.Part part = new HfTensor.Part(s, Fp8Scales.scaleOf(file, s, byName, fp8Block), ct);
            if (ct == null) {
                checkStored(file, s);
            }
            var fused = LlamaNames.fusedExperts(s.name());
            if (fused.isPresent()) {
                out.addAll(fusedExperts(file, fused.get(), part));
                continue;
            }
            var expert = LlamaNames.expert(s.name());
            if (expert.isPresent()) {
                out.addAll(experts.add(file, expert.get(), part));
                continue;
            }
            String name = LlamaNames.gguf(CtDecoded.weightName(s.name())).orElseThrow(() -> new CorruptFormatException(file, 0,
                    "tensor '" + s.name() + "'", "no GGUF name for this tensor of a " + cfg.arch().gguf() + " model"));
            int heads = !cfg.arch().permutesQk() ? 0 : name.matches("blk\\.\\d+\\.attn_q\\.(weight|bias)") ? cfg.heads()
                    : name.matches("blk\\.\\d+\\.attn_k\\.(weight|bias)") ? cfg.kvHeads() : 0;
            var shape = part.shape();
            long units = shape.rank() == 1 ? shape.ne(0) : shape.rows();
            if (heads > 0 && units % (2L * heads) != 0) {
                throw new CorruptFormatException(file, 0, "tensor '" + s.name() + "'", units + " rows do not split into "
                        + heads + " heads of two halves");
            }
            DType type = viewType(name, s);
            TensorInfo info = new TensorInfo(name, type, shape, s.offset(), TensorInfo.byteSize(type, shape));
            out.add(new HfTensor(info, List.of(part), heads));
        }
        experts.checkComplete(raw.container().files().getFirst());
        return out;
    }

    /**
     * A fused expert tensor as convert's Qwen2MoeModel writes it: {@code down_proj} as it is, {@code gate_up_proj}
     * split into the gate and up halves of every expert's rows (GGUF ne {@code [n_embd, n_ff, n_expert]} each).
     */
    private static List<HfTensor> fusedExperts(Path file, LlamaNames.FusedExperts f, HfTensor.Part part)
            throws CorruptFormatException {
        TensorInfo s = part.source();
        String where = "tensor '" + s.name() + "'";
        if (s.shape().rank() != 3 || (f.gateUp() && s.shape().ne(1) % 2 != 0)) {
            throw new CorruptFormatException(file, 0, where, "fused experts must be 3-D [n_expert, "
                    + (f.gateUp() ? "2·n_ff (even), n_embd" : "n_embd, n_ff") + "], not HF " + s.shape());
        }
        if (part.scaleInv() != null) {
            throw new CorruptFormatException(file, 0, where, "FP8 block scales on fused experts are not supported");
        }
        String blk = "blk." + f.layer() + ".";
        if (!f.gateUp()) {
            DType type = viewType(blk + "ffn_down_exps.weight", s);
            return List.of(new HfTensor(new TensorInfo(blk + "ffn_down_exps.weight", type, s.shape(), s.offset(),
                    TensorInfo.byteSize(type, s.shape())), List.of(part), 0));
        }
        long ff = s.shape().ne(1) / 2;
        long experts = s.shape().ne(2);
        Shape shape = Shape.of(s.shape().ne(0), ff, experts);
        List<HfTensor> out = new ArrayList<>();
        for (int half = 0; half < 2; half++) {
            String name = blk + (half == 0 ? "ffn_gate_exps" : "ffn_up_exps") + ".weight";
            List<HfTensor.Part> parts = new ArrayList<>();
            for (long e = 0; e < experts; e++) {
                parts.add(new HfTensor.Part(s, null, null, e * 2 * ff + half * ff, ff));
            }
            DType type = viewType(name, s);
            out.add(new HfTensor(new TensorInfo(name, type, shape, s.offset(), TensorInfo.byteSize(type, shape)), parts, 0));
        }
        return out;
    }

    /**
     * convert_hf_to_gguf's type rule: 1-D tensors, norms, the MoE router ({@code ffn_gate_inp}) and anything not
     * named {@code .weight} are F32; dequantized FP8 is F32 (its float32 products); other matrices keep their stored
     * precision (the planner then casts to {@code --outtype}).
     */
    static DType viewType(String ggufName, TensorInfo s) {
        boolean f32 = s.shape().rank() <= 1 || ggufName.endsWith("_norm.weight") || ggufName.contains(".ffn_gate_inp.")
                || ggufName.contains(".ffn_gate_inp_shexp.")
                || !ggufName.endsWith(".weight") || !(s.type() == DType.F16 || s.type() == DType.BF16);
        return f32 ? DType.F32 : s.type();
    }

    private static void checkStored(Path file, TensorInfo s) throws CorruptFormatException {
        boolean fp8 = s.type() == DType.F8_E4M3 || s.type() == DType.F8_E5M2;
        if (s.type() != DType.F32 && s.type() != DType.F16 && s.type() != DType.BF16 && !fp8) {
            throw new CorruptFormatException(file, 0, "tensor '" + s.name() + "'", "stored as "
                    + s.type().lowerName() + "; converting to GGUF needs F32, F16, BF16 or FP8 weights");
        }
    }

    @Override
    public Path path() {
        return dir;
    }

    @Override
    public ContainerInfo container() {
        ContainerInfo c = raw.container();
        return new ContainerInfo("safetensors", c.version(), c.alignment(), c.dataOffset(), c.files());
    }

    @Override
    public Metadata metadata() {
        return metadata;
    }

    @Override
    public List<TensorInfo> tensors() {
        return infos;
    }

    @Override
    public int shardOf(String name) {
        HfTensor t = byName.get(name);
        if (t == null) {
            throw new IllegalArgumentException(dir + " has no tensor '" + name + "'");
        }
        return raw.shardOf(t.source().name());
    }

    @Override
    public TensorView view(TensorInfo tensor) {
        HfTensor t = byName.get(tensor.name());
        if (t == null || !t.info().equals(tensor)) {
            throw new IllegalArgumentException("tensor '" + tensor.name() + "' is not a tensor of " + dir);
        }
        if (t.zeroCopy()) {
            return new TensorView(tensor.name(), tensor.type(), tensor.shape(), raw.view(t.source()).data());
        }
        return new TensorView(tensor.name(), tensor.type(), tensor.shape(), build(t));
    }

    /**
     * The converted bytes, built off-heap for this one tensor: each part (a layer's experts one after another)
     * dequantized (FP8 × its block's scale) or widened to F32 when the view's type asks for it, and its rows
     * (elements of a 1-D tensor) permuted per head.
     */
    private MemorySegment build(HfTensor t) {
        DType to = t.info().type();
        MemorySegment dst = Arena.ofAuto().allocate(t.info().byteSize(), 8);
        long at = 0;
        for (HfTensor.Part p : t.parts()) {
            long size = TensorInfo.byteSize(to, p.shape());
            fill(p, dst.asSlice(at, size), to, t.permuteHeads());
            at += size;
        }
        return dst;
    }

    private void fill(HfTensor.Part p, MemorySegment out, DType to, int heads) {
        TensorView src = raw.view(p.source());
        if (p.sliced()) {
            long rowBytes = src.data().byteSize() / p.source().shape().rows();
            src = new TensorView(src.name(), src.type(), p.shape(), src.data().asSlice(p.firstRow() * rowBytes, p.rows() * rowBytes));
        }
        boolean oneD = p.shape().rank() <= 1;
        long units = oneD ? p.shape().elementCount() : p.shape().rows();
        int cols = oneD ? 1 : Math.toIntExact(p.shape().rowLength());
        if (oneD) { // norms and biases: F32, elements permuted
            float[] v = new float[Math.toIntExact(units)];
            src.readRows(0, 1, v, 0);
            for (long r = 0; r < units; r++) {
                out.set(F32, 4 * r, v[(int) permuted(r, units, heads)]);
            }
            return;
        }
        if (p.compressed() != null) { // compressed-tensors codes × scales
            CtDecoded.Rows rows = new CtDecoded.Rows(p.compressed(), raw);
            float[] row = new float[cols];
            for (long r = 0; r < units; r++) {
                rows.decode(permuted(r, units, heads), row);
                MemorySegment.copy(row, 0, out, F32, r * cols * 4L, cols);
            }
            return;
        }
        if (to == src.type() && p.scaleInv() == null) { // permutation only
            long rowBytes = out.byteSize() / units;
            for (long r = 0; r < units; r++) {
                MemorySegment.copy(src.data(), permuted(r, units, heads) * rowBytes, out, r * rowBytes, rowBytes);
            }
            return;
        }
        Fp8Scales scales = p.scaleInv() == null ? null : Fp8Scales.read(raw.view(p.scaleInv()), p.source().shape(), fp8Block);
        float[] row = new float[cols];
        for (long r = 0; r < units; r++) {
            long s = permuted(r, units, heads);
            src.readRows(s, 1, row, 0);
            if (scales != null) {
                scales.apply(s, row);
            }
            MemorySegment.copy(row, 0, out, F32, r * cols * 4L, cols);
        }
    }

    /** llama.cpp order: unit (h, j, s) of reshape(n_head, half, 2) comes from HF unit (h, s, j). */
    private static long permuted(long r, long units, int heads) {
        if (heads == 0) {
            return r;
        }
        long perHead = units / heads;
        long half = perHead / 2;
        long h = r / perHead;
        long rem = r % perHead;
        return h * perHead + (rem % 2) * half + rem / 2;
    }

    @Override
    public void close() {
        raw.close();
    }
}
