package dev.quant4j.eval.imatrix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.tck.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * llama-imatrix's own files (shared/reference/eval/imatrix, llama.cpp 34af94cd, -c 128 --chunks 10): read and
 * written back, they must come out byte for byte; converting the GGUF to .dat must give llama-imatrix's .dat.
 */
class ImatrixReferenceTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(ImatrixReferenceTest.class.getClassLoader());

    @TempDir
    Path dir;

    private static Path ref(String name) {
        return SharedData.require("reference/eval/imatrix/" + name);
    }

    private static Imatrix loaded(Path file) throws IOException {
        Imatrix m = new Imatrix(128);
        m.merge(ImatrixFiles.load(file, REGISTRY));
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K", "tiny-shakespeare-256-f16", "synth-moe", "synth-qwen3moe"})
    void ggufRoundTripIsByteIdentical(String model) throws IOException {
        Path in = ref(model + ".imatrix.gguf");
        Imatrix m = loaded(in);
        assertEquals(10, m.chunkCount());
        Path out = dir.resolve("out.gguf");
        ImatrixFiles.save(m, out, ImatrixFiles.Format.GGUF, REGISTRY);
        assertArrayEquals(Files.readAllBytes(in), Files.readAllBytes(out));
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K", "tiny-shakespeare-256-f16", "synth-moe", "synth-qwen3moe"})
    void ggufConvertedToDatIsLlamaImatrixsDat(String model) throws IOException {
        Imatrix m = loaded(ref(model + ".imatrix.gguf"));
        Path out = dir.resolve("out.dat");
        ImatrixFiles.save(m, out, ImatrixFiles.Format.DAT, REGISTRY);
        assertArrayEquals(Files.readAllBytes(ref(model + ".imatrix.dat")), Files.readAllBytes(out));
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K", "synth-moe"})
    void importanceEqualsWhatTheImatrixCalibratorImports(String model) throws IOException {
        // the quantizers' view (quant-importance's reader, llama-quantize's sum / count rule) of the same file
        Path in = ref(model + ".imatrix.gguf");
        @SuppressWarnings("unchecked")
        var provider = (dev.quant4j.api.spi.CalibratorProvider<dev.quant4j.api.spi.NoOptions>) REGISTRY.calibrator("imatrix");
        var imported = provider.create(new dev.quant4j.api.spi.NoOptions())
                .importFile(in, f -> REGISTRY.formatFor(f).orElseThrow().open(f));
        var ours = loaded(in).toCalibrationStats(in.toString());
        assertEquals(imported.tensors().keySet(), ours.tensors().keySet());
        assertEquals(imported.datasets(), ours.datasets());
        assertEquals(imported.chunkCount(), ours.chunkCount());
        for (String name : imported.tensors().keySet()) {
            var a = imported.tensors().get(name);
            var b = ours.tensors().get(name);
            assertEquals(a.slices(), b.slices(), name);
            for (int s = 0; s < a.slices(); s++) {
                assertArrayEquals(a.slice(s), b.slice(s), name);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K", "synth-moe"})
    void referenceFilesHaveLlamaImatrixsKeysAndShapes(String model) throws IOException {
        ImatrixFile f = ImatrixFiles.load(ref(model + ".imatrix.gguf"), REGISTRY);
        assertEquals(List.of("tinystories_sample.txt"), f.datasets());
        assertEquals(10, f.chunkCount());
        assertEquals(128, f.chunkSize());
        ImatrixEntry q = f.entries().get("blk.0.attn_q.weight");
        assertEquals(1, q.matrices());
        assertArrayEquals(new long[] {1280}, q.counts());      // 10 chunks x 128 tokens
        if (model.equals("synth-moe")) {
            ImatrixEntry down = f.entries().get("blk.0.ffn_down_exps.weight");
            assertEquals(4, down.matrices());
            assertEquals(256, down.columns());
            long total = 0;
            for (long c : down.counts()) {
                assertTrue(c >= 311, "every expert received tokens");
                total += c;
            }
            assertEquals(2 * 1280, total);                     // top-2 routing: two experts per token
        }
        ImatrixFile dat = ImatrixFiles.load(ref(model + ".imatrix.dat"), REGISTRY);
        assertTrue(dat.legacy());
        assertEquals(f.entries().keySet(), dat.entries().keySet());
        assertEquals(List.of("tinystories_sample.txt"), dat.datasets());
        assertEquals(10, dat.chunkCount());
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K", "synth-moe"})
    void combiningAFileWithItselfDoublesSumsAndCounts(String model) throws IOException {
        Path in = ref(model + ".imatrix.gguf");
        Imatrix m = new Imatrix(128);
        m.merge(ImatrixFiles.load(in, REGISTRY));
        m.merge(ImatrixFiles.load(in, REGISTRY));
        assertEquals(20, m.chunkCount());
        assertEquals(List.of("tinystories_sample.txt", "tinystories_sample.txt"), m.loadedDatasets());
        Path out = dir.resolve("twice.gguf");
        ImatrixFiles.save(m, out, ImatrixFiles.Format.GGUF, REGISTRY);
        ImatrixFile one = ImatrixFiles.load(in, REGISTRY);
        ImatrixFile two = ImatrixFiles.load(out, REGISTRY);
        assertEquals(20, two.chunkCount());
        assertEquals(one.entries().keySet(), two.entries().keySet());
        for (String name : one.entries().keySet()) {
            float[] s1 = one.entries().get(name).sums();
            float[] s2 = two.entries().get(name).sums();
            for (int i = 0; i < s1.length; i++) {
                assertEquals(2 * s1[i], s2[i], name);           // x + x is exact in float
            }
            long[] c1 = one.entries().get(name).counts();
            long[] c2 = two.entries().get(name).counts();
            for (int i = 0; i < c1.length; i++) {
                assertEquals(2 * c1[i], c2[i], name);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K", "synth-moe"})
    void legacyInputIsScaledBackByTheChunkSize(String model) throws IOException {
        // llama-imatrix --in-file X.dat -c 128: sums = value * 128, one count ncall * 128 (per-expert counts are lost)
        Imatrix m = loaded(ref(model + ".imatrix.dat"));
        ImatrixFile gguf = ImatrixFiles.load(ref(model + ".imatrix.gguf"), REGISTRY);
        assertEquals(10, m.chunkCount());
        for (var e : m.entries().entrySet()) {
            ImatrixEntry g = gguf.entries().get(e.getKey());
            long max = java.util.Arrays.stream(g.counts()).max().orElseThrow();
            long ncall = (max + 127) / 128;                     // what the .dat stored for this entry
            assertArrayEquals(new long[] {ncall * 128}, e.getValue().counts(), e.getKey());
            float[] sums = e.getValue().sums();
            float[] ref = g.sums();
            int cols = g.columns();
            for (int i = 0; i < sums.length; i++) {
                // the .dat holds (sum / count) * ncall; times 128 it is sum * ncall * 128 / count
                double expected = (double) ref[i] / g.counts()[i / cols] * ncall * 128;
                assertEquals(expected, sums[i], 1e-5 * Math.abs(expected) + 1e-30, e.getKey() + "[" + i + "]");
            }
        }
    }
}
