package dev.quant4j.importance.imatrix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.spi.Calibrator;
import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.tensor.CalibrationStats;
import dev.quant4j.api.tensor.TensorActivationStats;
import dev.quant4j.tck.SharedData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stories260K importance matrix of shared/reference, written by llama-imatrix in both formats from one run
 * (40 chunks of 128 tokens over the first 200,000 bytes of tinyshakespeare).
 */
class ImatrixImportTest {
    private final Calibrator calibrator = new ImatrixCalibratorProvider().create(new NoOptions());

    private CalibrationStats dat() throws IOException {
        Path f = SharedData.require("reference/stories260K-imatrix.dat");
        return calibrator.importFile(f, file -> {
            throw new AssertionError("a .dat file needs no model reader");
        });
    }

    private CalibrationStats gguf() throws IOException {
        return calibrator.importFile(SharedData.require("reference/stories260K-imatrix.gguf"), p -> new dev.quant4j.gguf.io.GgufFormatProvider().open(p));
    }

    @Test
    void legacyDatFacts() throws IOException {
        CalibrationStats s = dat();
        // 5 layers x {attn_q, attn_k, attn_v, attn_output, ffn_gate, ffn_up, ffn_down}
        assertEquals(35, s.tensors().size());
        List<String> names = List.copyOf(s.tensors().keySet());
        assertEquals("blk.0.attn_k.weight", names.getFirst());
        assertEquals("blk.0.attn_output.weight", names.get(1));
        assertEquals("blk.4.ffn_up.weight", names.getLast());
        TensorActivationStats k = s.forTensor("blk.0.attn_k.weight").orElseThrow();
        assertEquals(64, k.columns());
        assertEquals(1, k.slices());
        assertEquals(172, s.forTensor("blk.3.ffn_down.weight").orElseThrow().columns(), "n_ff of stories260K");
        // stored values 19.269529..., 19.4279..., 17.71237... with ncall 40; importance = value / 40 in float32
        float[] v = k.slice(0);
        assertEquals(Float.intBitsToFloat(0x419a27ff) / 40f, v[0]);
        assertEquals(19.269529f / 40f, v[0], 1e-7f);
        assertEquals(19.4279f / 40f, v[1], 1e-6f);
        assertEquals(17.712374f / 40f, v[2], 1e-6f);
        // q, k and v see the same input
        assertArrayEquals(v, s.forTensor("blk.0.attn_q.weight").orElseThrow().slice(0));
        assertEquals(List.of("tinyshakespeare-first200k.txt"), s.datasets());
        assertEquals(40, s.chunkCount());
        assertTrue(s.source().endsWith("stories260K-imatrix.dat"));
    }

    @Test
    void ggufFacts() throws IOException {
        CalibrationStats s = gguf();
        assertEquals(35, s.tensors().size());
        TensorActivationStats k = s.forTensor("blk.0.attn_k.weight").orElseThrow();
        assertEquals(64, k.columns());
        assertEquals(5120, k.count(), "40 chunks of 128 tokens");
        // in_sum2[0] = 2466.4998 over 5120 rows
        assertEquals(2466.4998f / 5120f, k.slice(0)[0], 1e-7f);
        assertEquals(List.of("tinyshakespeare-first200k.txt"), s.datasets());
        assertEquals(40, s.chunkCount());
    }

    @Test
    void bothFormatsGiveTheSameImportance() throws IOException {
        CalibrationStats dat = dat();
        CalibrationStats gguf = gguf();
        assertEquals(gguf.tensors().keySet(), dat.tensors().keySet());
        int values = 0;
        for (TensorActivationStats g : gguf.tensors().values()) {
            TensorActivationStats d = dat.forTensor(g.tensor()).orElseThrow();
            assertEquals(g.columns(), d.columns(), g.tensor());
            // (sum / count) * ncall / ncall round-trips exactly for this run: the formats agree bit for bit
            assertArrayEquals(g.slice(0), d.slice(0), g.tensor());
            values += g.columns();
        }
        assertEquals(2780, values);
    }
}
