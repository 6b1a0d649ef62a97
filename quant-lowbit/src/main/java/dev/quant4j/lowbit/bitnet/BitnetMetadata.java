package dev.quant4j.lowbit.bitnet;

import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The output metadata as llama-quantize writes it (spec/mixtures.md section 6): the input's keys in order
 * without the split keys, then {@code general.quantization_version = 2} and {@code general.file_type} (both
 * UINT32) removed from where they were and appended in that order.
 */
final class BitnetMetadata {
    static final String QUANTIZATION_VERSION = "general.quantization_version";
    static final String FILE_TYPE = "general.file_type";
    /** GGML_QNT_VERSION. */
    static final int QNT_VERSION = 2;
    private static final Set<String> DROPPED = Set.of("split.no", "split.count", "split.tensors.count",
            QUANTIZATION_VERSION, FILE_TYPE);

    private BitnetMetadata() {
    }

    static Metadata of(Metadata input, TernaryLayout layout) {
        List<Metadata.Entry> out = new ArrayList<>(input.entries());
        out.removeIf(e -> DROPPED.contains(e.key()));
        out.add(new Metadata.Entry(QUANTIZATION_VERSION, MetaValue.u32(QNT_VERSION)));
        out.add(new Metadata.Entry(FILE_TYPE, MetaValue.u32(layout.fileType())));
        return new Metadata(out);
    }
}
