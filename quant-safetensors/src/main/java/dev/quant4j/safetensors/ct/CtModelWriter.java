package dev.quant4j.safetensors.ct;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.QuantizerLookup;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.safetensors.hf.LlamaNames;
import dev.quant4j.api.json.JsonValue;
import dev.quant4j.api.json.JsonException;
import dev.quant4j.api.json.JsonParser;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@code compressed-tensors} writer behind the format provider. It is given the model as the engine reads it
 * (GGUF names, llama.cpp's Q/K row order, or Hugging Face names), stages the tensors' bytes in a mapped file inside
 * a temporary directory beside the output, and on {@link #commit()} writes the compressed-tensors checkpoint there
 * (HF names, Q/K rows restored to HF's rotate-half order, {@link CtExport#writeTensors}), then config.json and the
 * source directory's tokenizer files, and renames the directory into place. Format options: {@code scheme}
 * (required), {@code source} (the path the model was read from; a Hugging Face directory supplies config.json and
 * the tokenizer files), {@code scale-dtype} (f32, f16 or bf16; default: each weight's own dtype), {@code gptq-hessians}
 * (+ {@code gptq-dampening}, {@code gptq-act-order}: GPTQ in front of the scheme's quantizer, {@link CtWeights}).
 * The weights are quantized by installed quantizers reached through the host's {@link QuantizerLookup}.
 */
final class CtModelWriter implements ModelWriter {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CtModelWriter.class);
    private final Path outDir;
    private final Path tmpDir;
    private final ModelLayout layout;
    private final CtWeights weights;
    private final Path source;
    private final WriteOptions splitting;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment staging;
    private final long[] offsets;
    private final List<HfPieces.Piece> pieces;
    private List<Path> files = List.of();
    private boolean committed;

    private CtModelWriter(Path outDir, Path tmpDir, ModelLayout layout, CtWeights weights, Path source,
                          WriteOptions splitting, List<HfPieces.Piece> pieces) throws IOException {
        this.outDir = outDir;
        this.tmpDir = tmpDir;
        this.layout = layout;
        this.weights = weights;
        this.source = source;
        this.splitting = splitting;
        this.pieces = List.copyOf(pieces);
        offsets = new long[layout.tensors().size() + 1];
        for (int i = 0; i < layout.tensors().size(); i++) {
            offsets[i + 1] = offsets[i] + layout.tensors().get(i).byteSize();
        }
        Path stage = tmpDir.resolve("staging.bin");
        try (FileChannel ch = FileChannel.open(stage, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.SPARSE)) {
            long total = offsets[offsets.length - 1];
            staging = total == 0 ? MemorySegment.NULL : ch.map(FileChannel.MapMode.READ_WRITE, 0, total, arena);
        }
    }

    /** The scheme named by the {@code scheme} format option. */
    static CtScheme scheme(WriteOptions options) {
        String schemeName = options.formatOptions().get("scheme");
        if (schemeName == null) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "compressed-tensors needs a scheme: one of " + schemes());
        }
        return CtScheme.of(schemeName).orElseThrow(() -> new QuantException(ErrorCode.INVALID_OPTION,
                "unknown compressed-tensors scheme '" + schemeName + "'; schemes: " + schemes()));
    }

    /** The Linear weights' quantizers as the format options ask for them. */
    static CtWeights weights(WriteOptions options, QuantizerLookup installed) {
        return new CtWeights(scheme(options), CtWeights.parseScaleType(options.formatOptions().get("scale-dtype")),
                options.formatOptions(), installed);
    }

    static CtModelWriter create(Path outDir, ModelLayout layout, WriteOptions options, QuantizerLookup installed)
            throws IOException {
        CtWeights weights = weights(options, installed);
        CtScheme scheme = weights.scheme();
        Path source = options.formatOptions().containsKey("source") ? Path.of(options.formatOptions().get("source")) : null;
        if (Files.isRegularFile(outDir)) {
            throw new QuantException(ErrorCode.INVALID_OPTION, outDir + " is a file; compressed-tensors output is a directory");
        }
        if (Files.isDirectory(outDir)) {
            try (Stream<Path> s = Files.list(outDir)) {
                if (s.findAny().isPresent()) {
                    throw new QuantException(ErrorCode.INVALID_OPTION, outDir + " is not empty; give a new directory");
                }
            }
        }
        for (ModelLayout.TensorSlot t : layout.tensors()) {
            if (t.type() != DType.F32 && t.type() != DType.F16 && t.type() != DType.BF16) {
                throw new QuantException(ErrorCode.UNSUPPORTED_TYPE, "tensor '" + t.name() + "' is "
                        + t.type().lowerName() + "; compressed-tensors output needs an F32, F16 or BF16 model");
            }
        }
        List<HfPieces.Piece> pieces = HfPieces.of(layout);
        for (HfPieces.Piece p : pieces) {
            if (CtExport.isLinear(p.name(), p.shape()) && scheme.weights().groupSize() != null
                    && p.shape().ne(0) % scheme.weights().groupSize() != 0) {
                throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "tensor '" + layout.tensors().get(p.slot()).name()
                        + "': row length " + p.shape().ne(0) + " is not a multiple of the group size "
                        + scheme.weights().groupSize() + " required by " + scheme);
            }
        }
        Path parent = outDir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, outDir.getFileName() + ".tmp-");
        try {
            return new CtModelWriter(outDir, tmp, layout, weights, source, options.splitting(), pieces);
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    private static String schemes() {
        return Arrays.stream(CtScheme.values()).map(Enum::name).toList().toString();
    }

    @Override
    public MemorySegment tensorData(int index) {
        return staging.asSlice(offsets[index], offsets[index + 1] - offsets[index]);
    }

    @Override
    public synchronized void commit() throws IOException {
        if (committed) {
            return;
        }
        List<CtInput> inputs = new ArrayList<>();
        for (HfPieces.Piece p : pieces) {
            inputs.add(new CtInput(p.name(), layout.tensors().get(p.slot()).type(), p.shape(), () -> hfView(p)));
        }
        CtExport.writeTensors(inputs, tmpDir.resolve("model.safetensors"), weights, splitting);
        arena.close();
        Files.delete(tmpDir.resolve("staging.bin"));
        boolean hfSource = source != null && Files.isRegularFile(source.resolve("config.json"));
        JsonValue.Obj config;
        if (hfSource) {
            try {
                config = (JsonValue.Obj) JsonParser.parse(Files.readString(source.resolve("config.json")));
            } catch (JsonException | ClassCastException e) {
                throw new QuantException(ErrorCode.INVALID_PLAN, source.resolve("config.json") + ": not a JSON object");
            }
            CtExport.copyModelFiles(source, tmpDir);
        } else {
            config = GgufHfConfig.of(layout.metadata(), layout.tensors());
            if (!GgufSpmTokenizer.write(layout.metadata(), tmpDir) && !GgufBpeTokenizer.write(layout.metadata(), tmpDir)) {
                LOG.warn("{}: no tokenizer files written: the GGUF's vocabulary ({}, pre-tokenizer {}) is neither SentencePiece"
                        + " nor byte-level BPE with a gpt-2, qwen2 or llama-bpe pre-tokenizer, whose tokenizer.json can be"
                        + " rebuilt from GGUF metadata; copy the original model's tokenizer files "
                        + "into {}", outDir, layout.metadata().getString("tokenizer.ggml.model").orElse("none"),
                        layout.metadata().getString("tokenizer.ggml.pre").orElse("none"), outDir);
            }
        }
        Files.writeString(tmpDir.resolve("config.json"), CtConfig.configJson(config, weights.scheme(),
                HfPieces.ignoredModules(pieces)));
        if (Files.isDirectory(outDir)) {
            Files.delete(outDir); // empty, checked at create; rename(2) needs it gone or empty
        }
        Files.move(tmpDir, outDir, StandardCopyOption.ATOMIC_MOVE);
        try (Stream<Path> s = Files.list(outDir)) {
            files = s.sorted(Comparator.naturalOrder()).toList();
        }
        committed = true;
    }

    /**
     * One output tensor in Hugging Face row order (llama's attn_q/attn_k rows un-permuted; others zero-copy). A piece
     * that is a whole tensor keeps the name the model was given with (so gptq finds its Hessian: rows are permuted,
     * its input columns are not); an expert cut from a merged tensor goes by its Hugging Face name.
     */
    private TensorView hfView(HfPieces.Piece p) {
        ModelLayout.TensorSlot slot = layout.tensors().get(p.slot());
        MemorySegment data = tensorData(p.slot()).asSlice(p.offset(), p.byteSize());
        if (p.unpermuteHeads() > 0) {
            data = unpermute(data, p.shape(), slot.type(), p.unpermuteHeads());
        }
        boolean whole = p.offset() == 0 && p.byteSize() == slot.byteSize();
        return new TensorView(whole ? slot.name() : p.name(), slot.type(), p.shape(), data);
    }

    /** The inverse of HfModelReader's permutation: llama.cpp row (h, j, s) goes back to HF row (h, s, j). */
    static MemorySegment unpermute(MemorySegment src, Shape shape, DType type, int heads) {
        boolean oneD = shape.rank() == 1;
        long units = oneD ? shape.ne(0) : shape.rows();
        long unitBytes = (oneD ? 1 : shape.ne(0)) * type.blockBytes();
        MemorySegment dst = Arena.ofAuto().allocate(units * unitBytes, 8);
        long perHead = units / heads;
        long half = perHead / 2;
        for (long r = 0; r < units; r++) {
            long h = r / perHead;
            long rem = r % perHead;
            long s = h * perHead + (rem % 2) * half + rem / 2;
            MemorySegment.copy(src, r * unitBytes, dst, s * unitBytes, unitBytes);
        }
        return dst;
    }

    @Override
    public List<Path> files() {
        return files;
    }

    @Override
    public synchronized void close() throws IOException {
        if (!committed) {
            if (arena.scope().isAlive()) {
                arena.close();
            }
            deleteTree(tmpDir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
