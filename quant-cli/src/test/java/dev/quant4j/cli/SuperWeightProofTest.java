package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.engine.ProtectedWeight;
import dev.quant4j.engine.QuantizeJob;
import dev.quant4j.engine.QuantizeReport;
import dev.quant4j.engine.SuperWeights;
import dev.quant4j.eval.evaluation.EvaluationModel;
import dev.quant4j.eval.metrics.ChunkListener;
import dev.quant4j.eval.metrics.EvalText;
import dev.quant4j.eval.model.RunOptions;
import dev.quant4j.eval.report.QualityReport;
import dev.quant4j.eval.report.QualityRun;
import dev.quant4j.eval.superweight.ActivationSuperWeights;
import dev.quant4j.tck.SharedData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof of super-weight detection and protection: the trained model has no super weight; one planted in
 * blk.1.ffn_down (the weight set to −20× the tensor's largest |w|, and its input channel's ffn_up row scaled ×8 so
 * the activation spikes) is found, alone, by both detectors. Q8_0 with that tensor at Q1_0 (whose scale is the
 * block's mean |w|, so it clips the super weight to about 1 %) raises the KLD far more than when protection keeps
 * the tensor at the cheapest type that preserves it (Q2_K).
 */
class SuperWeightProofTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(SuperWeightProofTest.class.getClassLoader());
    private static final String TENSOR = "blk.1.ffn_down.weight";
    private static final int ROW = 37;
    private static final int COLUMN = 501;
    private static final int CTX = 256;
    /** The planted tensor at Q1_0, everything else Q8_0. */
    private static final String DOWN_Q1 = "blk\\.1\\.ffn_down=q1_0";

    @TempDir
    static Path tmp;
    static Path planted;
    static int[] tokens;

    @BeforeAll
    static void plant() throws IOException {
        Path model = SharedData.require("reference/trained/tiny-shakespeare-256-f16.gguf");
        planted = tmp.resolve("planted.gguf");
        Files.copy(model, planted);
        try (ModelReader r = REGISTRY.format("gguf").open(model);
             FileChannel ch = FileChannel.open(planted, StandardOpenOption.WRITE)) {
            TensorInfo down = tensor(r, TENSOR);
            TensorView v = r.view(down);
            float max = 0;
            float[] row = new float[(int) v.rowLength()];
            for (long i = 0; i < v.rows(); i++) {
                v.readRow(i, row, 0);
                for (float x : row) {
                    max = Math.max(max, Math.abs(x));
                }
            }
            long base = r.container().dataOffset();
            write(ch, base + down.offset() + 2L * (ROW * v.rowLength() + COLUMN), -20 * max);
            TensorInfo up = tensor(r, "blk.1.ffn_up.weight");
            TensorView u = r.view(up);
            float[] upRow = new float[(int) u.rowLength()];
            u.readRow(COLUMN, upRow, 0);
            for (int j = 0; j < upRow.length; j++) { // input channel COLUMN of ffn_down is silu(gate)·up: ×8
                write(ch, base + up.offset() + 2L * (COLUMN * u.rowLength() + j), 8 * upRow[j]);
            }
        }
        byte[] text = EvalText.bytes(SharedData.require("reference/trained/tiny-shakespeare-256-heldout.txt"));
        try (EvaluationModel m = EvaluationModel.open(planted, REGISTRY, RunOptions.defaults())) {
            tokens = java.util.Arrays.copyOf(m.tokenizer().encodeUtf8(text, true, false), 16 * CTX);
        }
    }

    @Test
    void activationSpikesFindExactlyThePlantedWeightAndNoneInTheTrainedModel() throws IOException {
        Path trained = SharedData.require("reference/trained/tiny-shakespeare-256-f16.gguf");
        try (EvaluationModel m = EvaluationModel.open(trained, REGISTRY, RunOptions.defaults())) {
            var r = ActivationSuperWeights.scan(m, tokens, CTX, 2, ActivationSuperWeights.DEFAULT_FACTOR);
            assertEquals(6, r.layers().size());
            assertEquals(List.of(), r.superWeights());
        }
        try (EvaluationModel m = EvaluationModel.open(planted, REGISTRY, RunOptions.defaults())) {
            var r = ActivationSuperWeights.scan(m, tokens, CTX, 2, ActivationSuperWeights.DEFAULT_FACTOR);
            assertEquals(1, r.superWeights().size(), r.layers().toString());
            var s = r.superWeights().getFirst();
            assertEquals(TENSOR, s.tensor());
            assertEquals(1, s.layer());
            assertEquals(ROW, s.row());
            assertEquals(COLUMN, s.column());
            // the spike is that one weight times its input, within float rounding of the other 767 products
            assertEquals(s.value() * s.input(), s.output(), 0.1 * Math.abs(s.output()));
        }
        var dataFree = SuperWeights.scan(REGISTRY, planted, null, SuperWeights.DEFAULT_FACTOR).found();
        assertEquals(1, dataFree.size(), dataFree.toString());
        assertEquals(ROW, dataFree.getFirst().row());
        assertEquals(COLUMN, dataFree.getFirst().column());
    }

    @Test
    void protectionKeepsTheSuperWeightAndTheModel() throws IOException {
        Path plain = tmp.resolve("plain.gguf");
        Path kept = tmp.resolve("kept.gguf");
        QuantizeReport without = job(plain, false);
        QuantizeReport with = job(kept, true);
        assertEquals(List.of(), without.superWeights());
        assertEquals(1, with.superWeights().size());
        ProtectedWeight w = with.superWeights().getFirst();
        assertEquals(ROW, w.row());
        assertEquals(COLUMN, w.column());
        assertEquals("q1_0", w.plannedType());
        assertTrue(w.preserved(), w.toString());
        assertEquals("q2_k", w.type(), "the cheapest ladder type that keeps it");
        // only that tensor changed type
        var changed = with.tensors().stream().filter(t -> !t.targetType().equals(type(without, t.name()))).toList();
        assertEquals(List.of(TENSOR), changed.stream().map(t -> t.name()).toList());

        QualityReport a = quality(plain);
        QualityReport b = quality(kept);
        assertEquals(1, a.superWeights().size());
        assertTrue(a.superWeights().getFirst().relativeError() > 0.5, "q1_0 clips it: " + a.superWeights());
        assertTrue(b.superWeights().getFirst().preserved(), b.superWeights().toString());
        double kldWithout = a.kld().kld().value();
        double kldWith = b.kld().kld().value();
        assertTrue(kldWithout > 10 * kldWith, "KLD without protection " + kldWithout + ", with " + kldWith);
    }

    @Test
    void quantizeCommandListsTheSuperWeightBeforeAndAfter() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path outFile = tmp.resolve("cli.gguf");
        int code = Main.run(new String[] {"quantize", "-q", "--protect-super-weights", "--tensor-type", DOWN_Q1,
            planted.toString(), outFile.toString(), "Q8_0"}, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("super wt   blk.1.ffn_down.weight[37,501] "), out.toString());
        assertTrue(out.toString().contains("in q2_k (planned q1_0)"), out.toString());
    }

    private static QuantizeReport job(Path out, boolean protect) throws IOException {
        return QuantizeJob.builder(REGISTRY).input(planted).output(out)
                .planner("llama-cpp", Map.of("file-type", "Q8_0", "tensor-type", DOWN_Q1))
                .protectSuperWeights(protect).threads(2).build().run();
    }

    private static QualityReport quality(Path quantized) throws IOException {
        try (EvaluationModel base = EvaluationModel.open(planted, REGISTRY, RunOptions.defaults());
             EvaluationModel q = EvaluationModel.open(quantized, REGISTRY, RunOptions.defaults())) {
            return new QualityRun(CTX, 8, ChunkListener.NONE).run(base, q, tokens);
        }
    }

    private static String type(QuantizeReport r, String tensor) {
        return r.tensors().stream().filter(t -> t.name().equals(tensor)).findFirst().orElseThrow().targetType();
    }

    private static TensorInfo tensor(ModelReader r, String name) {
        return r.tensors().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    private static void write(FileChannel ch, long at, float value) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(Float.floatToFloat16(value));
        ch.write(b.flip(), at);
    }
}
