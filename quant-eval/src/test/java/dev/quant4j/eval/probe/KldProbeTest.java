package dev.quant4j.eval.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.eval.model.ModelRunner;
import dev.quant4j.eval.model.RunOptions;
import dev.quant4j.eval.tokenizer.Tokenizer;
import dev.quant4j.eval.tokenizer.Tokenizers;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe against an independent computation: the same tensor substitution written to a real GGUF file, run
 * by a plain {@link ModelRunner}, KL divergence summed here by hand over llama-perplexity's scored positions.
 */
class KldProbeTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(KldProbeTest.class.getClassLoader());
    private static final int CTX = 64;
    private static final int CHUNKS = 3;
    private static final String TENSOR = "blk.1.ffn_down.weight";

    private static Path shared(String rel) {
        Path p = Path.of(System.getProperty("quant4j.shared", "../../shared")).resolve(rel);
        Assumptions.assumeTrue(Files.isRegularFile(p), p + " is absent (set -Dquant4j.shared): probe test skipped");
        return p;
    }

    @Test
    void substitutionInMemoryEqualsTheSameModelWrittenToDiskAndGrowsWithFewerBits(@TempDir Path dir) throws IOException {
        Path model = shared("reference/trained/tiny-shakespeare-256-f16.gguf");
        String text = Files.readString(shared("reference/trained/tiny-shakespeare-256-heldout.txt"));
        RunOptions opts = RunOptions.llamaCppEmulation().withThreads(2);
        try (KldProbe probe = new KldProbe(model, REGISTRY, text, CTX, CHUNKS, opts);
             Arena arena = Arena.ofShared();
             ModelReader r = REGISTRY.format("gguf").open(model)) {
            TensorInfo info = r.tensors().stream().filter(t -> t.name().equals(TENSOR)).findFirst().orElseThrow();
            TensorView f16 = r.view(info);
            assertEquals(0.0, probe.meanKld(List.of()), 0.0, "the unchanged model");
            assertEquals(0.0, probe.meanKld(List.of(f16)), 0.0, "the tensor's own bytes");

            TensorView q2 = quantize(f16, "q2_k", arena);
            TensorView q6 = quantize(f16, "q6_k", arena);
            double k2 = probe.meanKld(List.of(q2));
            double k6 = probe.meanKld(List.of(q6));
            assertTrue(k6 > 0 && k2 > 10 * k6, "q2_k " + k2 + " vs q6_k " + k6);

            Path written = write(r, q2, dir.resolve("sub.gguf"));
            double byHand = handKld(model, written, text, opts);
            // the probe keeps log-probabilities as floats: about 1e-8 from the all-double sum here
            assertEquals(byHand, k2, 1e-7, "in-memory substitution vs the file on disk");
            assertEquals(CHUNKS, probe.chunks());

            var bad = TensorView.ofFloats("no.such.weight", Shape.of(4, 4), new float[16]);
            assertThrows(QuantException.class, () -> probe.meanKld(List.of(bad)));
        }
    }

    private static TensorView quantize(TensorView src, String type, Arena arena) {
        @SuppressWarnings("unchecked")
        QuantizerProvider<Record> p = (QuantizerProvider<Record>) REGISTRY.quantizer(type);
        Quantizer q = p.create(p.defaultOptions());
        MemorySegment out = arena.allocate(q.encodedBytes(src.name(), src.shape()), 16);
        q.quantize(src, 0, src.rows(), null, out);
        return new TensorView(src.name(), DType.fromName(type).orElseThrow(), src.shape(), out);
    }

    private static Path write(ModelReader r, TensorView sub, Path dst) throws IOException {
        FormatProvider gguf = REGISTRY.format("gguf");
        List<ModelLayout.TensorSlot> slots = new ArrayList<>();
        for (TensorInfo t : r.tensors()) {
            boolean s = t.name().equals(sub.name());
            slots.add(new ModelLayout.TensorSlot(t.name(), s ? sub.type() : t.type(), t.shape(),
                    s ? sub.data().byteSize() : t.byteSize()));
        }
        try (ModelWriter w = gguf.create(dst, new ModelLayout(r.metadata(), slots), WriteOptions.SINGLE_FILE)) {
            for (int i = 0; i < r.tensors().size(); i++) {
                TensorInfo t = r.tensors().get(i);
                w.write(i, 0, t.name().equals(sub.name()) ? sub.data() : r.view(t).data());
            }
            w.commit();
        }
        return dst;
    }

    /** Mean KL(base || candidate) over positions ctx/2 .. ctx-2 of each chunk (BOS first), in plain double loops. */
    private static double handKld(Path base, Path cand, String text, RunOptions opts) throws IOException {
        try (ModelRunner b = ModelRunner.open(base, REGISTRY, opts); ModelRunner c = ModelRunner.open(cand, REGISTRY, opts)) {
            Tokenizer tok = Tokenizers.fromMetadata(b.metadata());
            int[] ids = tok.encode(text, true, false);
            int v = b.vocabSize();
            double sum = 0;
            int n = 0;
            for (int k = 0; k < CHUNKS; k++) {
                int[] chunk = java.util.Arrays.copyOfRange(ids, k * CTX, (k + 1) * CTX);
                if (tok.addsBos()) {
                    chunk[0] = tok.bos();
                }
                float[] lb = b.logits(chunk);
                float[] lc = c.logits(chunk);
                for (int pos = CTX / 2; pos < CTX - 1; pos++) {
                    double[] p = logSoftmax(lb, pos * v, v);
                    double[] q = logSoftmax(lc, pos * v, v);
                    double kl = 0;
                    for (int i = 0; i < v; i++) {
                        kl += Math.exp(p[i]) * (p[i] - q[i]);
                    }
                    sum += kl;
                    n++;
                }
            }
            return sum / n;
        }
    }

    private static double[] logSoftmax(float[] x, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.exp(x[off + i] - max);
        }
        double lse = max + Math.log(s);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = x[off + i] - lse;
        }
        return out;
    }
}
