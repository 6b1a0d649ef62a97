package dev.quant4j.safetensors.hf;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.ContainerInfo;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Metadata;
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
import java.util.Set;

/**
 * A Hugging Face llama checkpoint directory presented as the GGUF model convert_hf_to_gguf.py makes of it: GGUF
 * tensor names in its order (files sorted, names sorted inside each file), llama.* / general.* / tokenizer.*
 * metadata, attn_q/attn_k rows permuted from HF's rotate-half order to llama.cpp's, 1-D tensors and norms as F32.
 * Matrices keep their stored precision (F32, F16 or BF16), so a quantizer sees the checkpoint's own values and
 * {@code F32}/{@code F16}/{@code BF16} targets give convert_hf_to_gguf's {@code --outtype} results. Views that
 * need no permutation or widening are zero-copy; the others are built per tensor when asked for, off-heap.
 */
public final class HfModelReader implements ModelReader {
    private static final Set<String> ARCHITECTURES = Set.of("LlamaForCausalLM");
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path dir;
    private final SafetensorsReader raw;
    private final Metadata metadata;
    private final List<HfTensor> tensors;
    private final List<TensorInfo> infos;
    private final Map<String, HfTensor> byName;

    private HfModelReader(Path dir, SafetensorsReader raw, Metadata metadata, List<HfTensor> tensors) {
        this.dir = dir;
        this.raw = raw;
        this.metadata = metadata;
        this.tensors = List.copyOf(tensors);
        this.infos = tensors.stream().map(HfTensor::info).toList();
        Map<String, HfTensor> m = new HashMap<>();
        tensors.forEach(t -> m.put(t.info().name(), t));
        this.byName = Map.copyOf(m);
    }

    public static HfModelReader open(Path dir) throws IOException {
        JsonValue.Obj config = JsonFiles.read(dir.resolve("config.json"));
        String arch = config.array("architectures").flatMap(a -> a.values().stream().findFirst())
                .filter(JsonValue.Str.class::isInstance).map(v -> ((JsonValue.Str) v).value()).orElse("?");
        if (!ARCHITECTURES.contains(arch)) {
            throw new QuantException(ErrorCode.UNSUPPORTED_TYPE, dir.resolve("config.json") + ": architecture " + arch
                    + " is not supported for Hugging Face → GGUF (supported: " + ARCHITECTURES + ")");
        }
        LlamaConfig cfg = LlamaConfig.of(dir.resolve("config.json"), config);
        SafetensorsReader raw = SafetensorsReader.open(dir);
        try {
            List<HfTensor> tensors = plan(raw, cfg);
            long params = tensors.stream().mapToLong(t -> t.info().shape().elementCount()).sum();
            DType stored = tensors.stream().map(t -> t.source().type()).filter(t -> t != DType.F32).findFirst()
                    .orElse(DType.F32);
            List<Metadata.Entry> e = new ArrayList<>(cfg.entries(dir, params, stored));
            e.addAll(Vocab.entries(dir, config));
            return new HfModelReader(dir, raw, new Metadata(e), tensors);
        } catch (IOException | RuntimeException | Error ex) {
            raw.close();
            throw ex;
        }
    }

    private static List<HfTensor> plan(SafetensorsReader raw, LlamaConfig cfg) throws CorruptFormatException {
        List<TensorInfo> sources = new ArrayList<>(raw.tensors());
        sources.sort(Comparator.comparingInt((TensorInfo t) -> raw.shardOf(t.name())).thenComparing(TensorInfo::name));
        List<HfTensor> out = new ArrayList<>();
        for (TensorInfo s : sources) {
            if (LlamaNames.skipped(s.name())) {
                continue;
            }
            Path file = raw.container().files().get(raw.shardOf(s.name()));
            String name = LlamaNames.gguf(s.name()).orElseThrow(() -> new CorruptFormatException(file, 0,
                    "tensor '" + s.name() + "'", "no GGUF name for this tensor of a llama model"));
            if (s.type() != DType.F32 && s.type() != DType.F16 && s.type() != DType.BF16) {
                throw new CorruptFormatException(file, 0, "tensor '" + s.name() + "'", "stored as "
                        + s.type().lowerName() + "; converting to GGUF needs F32, F16 or BF16 weights");
            }
            boolean f32 = s.shape().rank() <= 1 || name.endsWith("_norm.weight");
            DType type = f32 ? DType.F32 : s.type();
            int heads = name.matches("blk\\.\\d+\\.attn_q\\.(weight|bias)") ? cfg.heads()
                    : name.matches("blk\\.\\d+\\.attn_k\\.(weight|bias)") ? cfg.kvHeads() : 0;
            long units = s.shape().rank() == 1 ? s.shape().ne(0) : s.shape().rows();
            if (heads > 0 && units % (2L * heads) != 0) {
                throw new CorruptFormatException(file, 0, "tensor '" + s.name() + "'", units + " rows do not split into "
                        + heads + " heads of two halves");
            }
            TensorInfo info = new TensorInfo(name, type, s.shape(), s.offset(), TensorInfo.byteSize(type, s.shape()));
            out.add(new HfTensor(info, s, heads));
        }
        return out;
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
        TensorView src = raw.view(t.source());
        if (t.permuteHeads() == 0 && t.info().type() == t.source().type()) {
            return new TensorView(tensor.name(), tensor.type(), tensor.shape(), src.data());
        }
        return new TensorView(tensor.name(), tensor.type(), tensor.shape(), build(t, src.data()));
    }

    /** The converted bytes: rows (elements of a 1-D tensor) permuted per head, widened to F32 when asked. */
    private static MemorySegment build(HfTensor t, MemorySegment src) {
        DType from = t.source().type();
        DType to = t.info().type();
        boolean oneD = t.source().shape().rank() == 1;
        long units = oneD ? t.source().shape().ne(0) : t.source().shape().rows();
        long unitElems = oneD ? 1 : t.source().shape().ne(0);
        long srcUnit = unitElems * from.blockBytes();
        long dstUnit = unitElems * to.blockBytes();
        MemorySegment dst = Arena.ofAuto().allocate(units * dstUnit, 8);
        long perHead = t.permuteHeads() == 0 ? units : units / t.permuteHeads();
        long half = perHead / 2;
        for (long r = 0; r < units; r++) {
            long s = r;
            if (t.permuteHeads() > 0) {
                // llama.cpp order: row (h, j, s) of reshape(n_head, half, 2) comes from HF row (h, s, j)
                long h = r / perHead;
                long rem = r % perHead;
                s = h * perHead + (rem % 2) * half + rem / 2;
            }
            if (from == to) {
                MemorySegment.copy(src, s * srcUnit, dst, r * dstUnit, srcUnit);
            } else {
                for (long i = 0; i < unitElems; i++) {
                    float v = from == DType.F16 ? Float.float16ToFloat(src.get(U16, s * srcUnit + 2 * i))
                            : Float.intBitsToFloat((src.get(U16, s * srcUnit + 2 * i) & 0xFFFF) << 16);
                    dst.set(F32, r * dstUnit + 4 * i, v);
                }
            }
        }
        return dst;
    }

    @Override
    public void close() {
        raw.close();
    }
}
