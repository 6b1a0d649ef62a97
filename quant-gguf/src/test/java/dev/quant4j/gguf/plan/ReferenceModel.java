package dev.quant4j.gguf.plan;

import dev.quant4j.api.tensor.CalibrationStats;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorActivationStats;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.tck.MiniJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model description of shared/reference/mixtures/models/*.json: metadata (general.architecture first, as gguf-py
 * writes it) and tensor list, plus the synthetic imatrix the README describes.
 */
record ReferenceModel(String name, Metadata metadata, List<TensorInfo> tensors) {

    @SuppressWarnings("unchecked")
    static ReferenceModel load(Path json) throws IOException {
        Map<String, Object> m = (Map<String, Object>) MiniJson.parse(Files.readString(json));
        List<Metadata.Entry> kv = new ArrayList<>();
        kv.add(new Metadata.Entry("general.architecture", MetaValue.text((String) m.get("arch"))));
        for (Object o : (List<Object>) m.get("kv")) {
            List<Object> e = (List<Object>) o;
            kv.add(new Metadata.Entry((String) e.get(0), value((String) e.get(1), e.get(2))));
        }
        List<TensorInfo> tensors = new ArrayList<>();
        for (Object o : (List<Object>) m.get("tensors")) {
            List<Object> t = (List<Object>) o;
            long[] ne = ((List<Object>) t.get(1)).stream().mapToLong(d -> ((Double) d).longValue()).toArray();
            DType type = DType.fromName((String) t.get(2)).orElseThrow();
            Shape shape = Shape.of(ne);
            tensors.add(new TensorInfo((String) t.get(0), type, shape, 0, TensorInfo.byteSize(type, shape)));
        }
        return new ReferenceModel((String) m.get("name"), new Metadata(kv), tensors);
    }

    private static MetaValue value(String type, Object v) {
        return switch (type) {
            case "STRING" -> MetaValue.text((String) v);
            case "UINT32" -> MetaValue.u32(((Double) v).longValue());
            case "FLOAT32" -> new MetaValue.Real(MetaType.FLOAT32, (float) (double) (Double) v);
            default -> throw new IllegalArgumentException("unexpected value type " + type);
        };
    }

    /**
     * The model's imatrix as the README builds it: one entry per blk.* weight with >= 2 dims, n_mat = ne[2],
     * in_sum2 = 100 * (1 + k mod 7), counts 100, so the importance is 1 + k mod 7.
     */
    CalibrationStats imatrix() {
        List<TensorActivationStats> entries = new ArrayList<>();
        for (TensorInfo t : tensors.stream().sorted((a, b) -> a.name().compareTo(b.name())).toList()) {
            if (t.name().startsWith("blk.") && t.name().endsWith(".weight") && Quantizability.nDims(t.shape()) >= 2) {
                int cols = (int) t.shape().rowLength();
                int mats = (int) t.shape().ne(2);
                float[] v = new float[cols * mats];
                for (int k = 0; k < v.length; k++) {
                    v[k] = 1 + k % 7;
                }
                entries.add(TensorActivationStats.of(t.name(), cols, 100, v));
            }
        }
        return CalibrationStats.of(name + ".imatrix.gguf", entries).withProvenance(List.of("synthetic"), 1);
    }
}
