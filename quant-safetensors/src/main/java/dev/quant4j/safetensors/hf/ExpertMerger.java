package dev.quant4j.safetensors.hf;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects a layer's expert matrices and, once all {@code 3 × n_expert} are read, yields the three merged tensors as
 * convert_hf_to_gguf does ({@code torch.stack(dim=0)}: HF {@code [n_expert, out, in]}, GGUF ne {@code [in, out,
 * n_expert]}, expert e the slice ne2 = e, its bytes the expert's own, one expert after another).
 */
final class ExpertMerger {
    private record Pending(String merged, HfTensor.Part[] byExpert) {
    }

    private final long count;
    private final Map<Integer, TreeMap<Integer, Pending>> layers = new HashMap<>();
    private final Map<Integer, Integer> seen = new HashMap<>();

    ExpertMerger(long count) {
        this.count = count;
    }

    /** Adds one expert tensor; returns the layer's merged tensors when it was the last one, else nothing. */
    List<HfTensor> add(Path file, LlamaNames.Expert e, HfTensor.Part part) throws CorruptFormatException {
        String where = "tensor '" + part.source().name() + "'";
        if (count <= 0) {
            throw new CorruptFormatException(file, 0, where, "an expert tensor, but config.json gives no expert count"
                    + " (num_local_experts / num_experts)");
        }
        if (e.expert() >= count) {
            throw new CorruptFormatException(file, 0, where, "expert " + e.expert() + " of a model with " + count
                    + " experts (config.json)");
        }
        Pending p = layers.computeIfAbsent(e.layer(), k -> new TreeMap<>())
                .computeIfAbsent(e.order(), k -> new Pending(e.merged(), new HfTensor.Part[(int) count]));
        p.byExpert()[e.expert()] = part;
        int n = seen.merge(e.layer(), 1, Integer::sum);
        if (n < 3 * count) {
            return List.of();
        }
        List<HfTensor> out = new ArrayList<>();
        for (Pending m : layers.remove(e.layer()).values()) {
            out.add(merged(file, m));
        }
        seen.remove(e.layer());
        return out;
    }

    private HfTensor merged(Path file, Pending m) throws CorruptFormatException {
        TensorInfo first = null;
        for (int x = 0; x < count; x++) {
            HfTensor.Part part = m.byExpert()[x];
            if (part == null) {
                throw new CorruptFormatException(file, 0, "tensor '" + m.merged() + "'", "expert " + x + " is missing");
            }
            TensorInfo s = part.source();
            if (first == null) {
                first = s;
                if (s.shape().rank() != 2) {
                    throw new CorruptFormatException(file, 0, "tensor '" + s.name() + "'", "an expert matrix must be 2-D, not "
                            + s.shape());
                }
            } else if (s.type() != first.type() || !s.shape().equals(first.shape())) {
                throw new CorruptFormatException(file, 0, "tensor '" + s.name() + "'", s.type().lowerName() + " "
                        + s.shape() + " differs from expert 0 (" + first.type().lowerName() + " " + first.shape()
                        + "): experts are merged into one tensor");
            }
        }
        Shape shape = Shape.of(first.shape().ne(0), first.shape().ne(1), count);
        var type = HfModelReader.viewType(m.merged(), first);
        TensorInfo info = new TensorInfo(m.merged(), type, shape, first.offset(), TensorInfo.byteSize(type, shape));
        return new HfTensor(info, List.of(m.byExpert()), 0);
    }

    /** Fails when a layer's experts are incomplete (convert_hf_to_gguf: "Unprocessed experts"). */
    void checkComplete(Path file) throws CorruptFormatException {
        for (var l : new TreeMap<>(seen).entrySet()) {
            throw new CorruptFormatException(file, 0, "layer " + l.getKey(), l.getValue() + " of the " + 3 * count
                    + " expert tensors (3 kinds × " + count + " experts) are present");
        }
    }
}
