package dev.quant4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quant4j.engine.QuantizeReport;
import dev.quant4j.engine.TensorResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a {@link QuantizeReport} as JSON (schema in the README), atomically. */
final class ReportJson {
    private ReportJson() {
    }

    static void write(QuantizeReport r, Path file) throws IOException {
        write(r, null, file);
    }

    /** The job's report, with the quality report of {@code --eval} under {@code "quality"} when given. */
    static void write(QuantizeReport r, dev.quant4j.eval.report.QualityReport quality, Path file) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", "quant4j-report/1");
        m.put("input", r.input().toString());
        m.put("outputs", r.outputs().stream().map(Path::toString).toList());
        m.put("planner", r.planner());
        m.put("dry_run", r.dryRun());
        m.put("threads", r.threads());
        m.put("seconds", r.seconds());
        m.put("input_bytes", r.inputBytes());
        m.put("output_bytes", fileBytes(r));
        m.put("tensor_data_bytes", r.outputBytes());
        m.put("elements", r.elements());
        m.put("bits_per_weight", r.bitsPerWeight());
        m.put("throughput_mb_per_s", r.throughputMBps());
        m.put("rmse", nan(r.rmse()));
        m.put("predicted_peak_bytes", r.predictedPeakBytes());
        m.put("warnings", r.warnings());
        List<Map<String, Object>> ts = new ArrayList<>();
        for (TensorResult t : r.tensors()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", t.name());
            e.put("shape", t.shape().dims());
            e.put("source_type", t.sourceType());
            e.put("type", t.targetType());
            e.put("rule", t.rule());
            e.put("note", t.note());
            e.put("bytes", t.bytes());
            e.put("bits_per_weight", t.bitsPerWeight());
            e.put("rmse", nan(t.rmse()));
            e.put("relative_rmse", nan(t.relativeRmse()));
            e.put("seconds", t.seconds());
            ts.add(e);
        }
        m.put("tensors", ts);
        List<Map<String, Object>> sw = new ArrayList<>();
        for (dev.quant4j.engine.ProtectedWeight w : r.superWeights()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("tensor", w.tensor());
            e.put("layer", w.layer());
            e.put("row", w.row());
            e.put("column", w.column());
            e.put("before", w.before());
            e.put("after", w.after());
            e.put("relative_error", w.relativeError());
            e.put("preserved", w.preserved());
            e.put("planned_type", w.plannedType());
            e.put("type", w.type());
            sw.add(e);
        }
        m.put("super_weights", sw);
        if (quality != null) {
            m.put("quality", new ObjectMapper().valueToTree(quality));
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), m);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Size of the written files, header included; the planned tensor data for a dry run (nothing written). */
    private static long fileBytes(QuantizeReport r) throws IOException {
        if (r.dryRun()) {
            return r.outputBytes();
        }
        long sum = 0;
        for (Path p : r.outputs()) {
            sum += Files.size(p);
        }
        return sum;
    }

    /** JSON has no NaN: unmeasured values are null. */
    private static Double nan(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }
}
