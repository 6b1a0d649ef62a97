package dev.quant4j.gguf.plan;

import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The metadata llama-quantize writes (mixtures.md section 6): the input's keys in order without the split keys,
 * then {@code general.quantization_version} and {@code general.file_type} re-appended, then each override
 * (imatrix provenance included) and finally, after pruning, the block count. Setting a key that exists removes
 * it and appends it, as gguf's setters do.
 */
final class OutputMetadata {
    static final String QUANTIZATION_VERSION = "general.quantization_version";
    static final String FILE_TYPE = "general.file_type";
    private static final Set<String> SPLIT_KEYS = Set.of("split.no", "split.count", "split.tensors.count");
    /** GGML_QNT_VERSION. */
    private static final int QNT_VERSION = 2;

    private final List<Metadata.Entry> entries = new ArrayList<>();

    OutputMetadata(Metadata input, long fileType) {
        entries.addAll(input.entries());
        set(QUANTIZATION_VERSION, MetaValue.u32(QNT_VERSION));
        set(FILE_TYPE, MetaValue.u32(fileType));
        entries.removeIf(e -> SPLIT_KEYS.contains(e.key()));
    }

    /** Sets {@code key}: removed where it was and appended. */
    OutputMetadata set(String key, MetaValue value) {
        entries.removeIf(e -> e.key().equals(key));
        entries.add(new Metadata.Entry(key, value));
        return this;
    }

    /** The quantize.imatrix.* keys llama-quantize adds when an imatrix is used. */
    OutputMetadata imatrix(String file, List<String> datasets, int entryCount, long chunkCount) {
        set("quantize.imatrix.file", MetaValue.text(truncate127(file)));
        if (!datasets.isEmpty()) {
            set("quantize.imatrix.dataset", MetaValue.text(truncate127(datasets.getFirst())));
        }
        set("quantize.imatrix.entries_count", MetaValue.u32(entryCount));
        if (chunkCount > 0) {
            set("quantize.imatrix.chunks_count", MetaValue.u32(chunkCount & 0xFFFF_FFFFL));
        }
        return this;
    }

    Metadata build() {
        return new Metadata(entries);
    }

    /** Upstream copies at most 127 bytes; we cut at the last whole UTF-8 character within them. */
    static String truncate127(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= 127) {
            return s;
        }
        int end = 127;
        while (end > 0 && (b[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }
}
