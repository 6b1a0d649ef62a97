package dev.quant4j.eval.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.eval.imatrix.ActivationSink;
import dev.quant4j.eval.imatrix.ActivationSource;
import dev.quant4j.eval.imatrix.ImatrixEntry;
import dev.quant4j.eval.imatrix.ImatrixFile;
import dev.quant4j.eval.imatrix.ImatrixFiles;
import dev.quant4j.eval.imatrix.ImatrixJob;
import dev.quant4j.eval.metrics.ChunkListener;
import dev.quant4j.eval.metrics.EvalText;
import dev.quant4j.eval.model.RunOptions;
import dev.quant4j.tck.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code quant imatrix} runs the chunks that fit a 512-token micro-batch in shared batches of 2048 tokens (as
 * llama-imatrix does with its {@code n_seq} chunks per batch) and computes only the logits it needs. Against the
 * same model seen through {@link ActivationSource}'s defaults (a session per chunk, every position's logits): the
 * same file bit for bit on a dense model, with and without perplexity and {@code --process-output}; on a MoE model
 * identical counts and sums within 1e-6 relative (an expert's matmul then sees more tokens at once, and the kernel's
 * rounding of a row can depend on how many rows it shares the call with: measured 2.4e-7 at most). A batched run
 * killed between checkpoints resumes to the uninterrupted file.
 */
class ImatrixBatchingTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(ImatrixBatchingTest.class.getClassLoader());
    private static final String TEXT = "text/tinystories_sample.txt";

    @TempDir
    Path dir;

    /** The model one chunk at a time through the interface's defaults: a session per chunk, all logits. */
    private record OneByOne(EvaluationModel m) implements ActivationSource {
        @Override
        public int vocabSize() {
            return m.vocabSize();
        }

        @Override
        public float[] run(int[] tokens, ActivationSink sink) {
            return m.run(tokens, sink);
        }
    }

    private record Run(Path file, Optional<String> ppl) {
    }

    private Run imatrix(String model, boolean oneByOne, int nCtx, int chunks, boolean ppl, boolean output, int every,
                        boolean resume, ChunkListener listener, String name) throws IOException {
        Path text = SharedData.require(TEXT);
        Path out = dir.resolve(name + ".gguf");
        try (EvaluationModel m = EvaluationModel.open(SharedData.require(model), REGISTRY,
                RunOptions.defaults().withThreads(2), LayerStreaming.OFF)) {
            int[] tokens = m.tokenizer().encode(EvalText.read(text), true, false);
            ImatrixJob.Result r = ImatrixJob.builder(REGISTRY).output(out).chunkSize(nCtx).maxChunks(chunks)
                    .perplexity(ppl).processOutput(output).checkpointEvery(every).resume(resume).listener(listener)
                    .collect(tokens, oneByOne ? new OneByOne(m) : m, m.chunkBos(), text.getFileName().toString())
                    .build().run();
            return new Run(out, r.perplexity().map(p -> p.finalLine()));
        }
    }

    @ParameterizedTest(name = "{0} -c {1} --chunks {2} ppl {3} process-output {4}")
    @CsvSource({
        "models/stories260K.gguf, 128, 10, true, false",
        "models/stories260K.gguf, 128, 10, false, false",
        "models/stories260K.gguf, 128, 10, true, true",
        "models/stories260K.gguf, 64, 40, false, true",
        "models/stories260K.gguf, 256, 5, true, false"})
    void sharedBatchesGiveTheChunkByChunkFile(String model, int nCtx, int chunks, boolean ppl, boolean output)
            throws IOException {
        Run single = imatrix(model, true, nCtx, chunks, ppl, output, 0, false, ChunkListener.NONE, "single");
        Run batched = imatrix(model, false, nCtx, chunks, ppl, output, 0, false, ChunkListener.NONE, "batched");
        assertEquals(single.ppl(), batched.ppl());
        assertEquals(ppl, batched.ppl().isPresent());
        assertArrayEquals(Files.readAllBytes(single.file()), Files.readAllBytes(batched.file()));
    }

    @Test
    void moeSharedBatchesAgreeWithinRounding() throws IOException {
        String model = "reference/eval/models/synth-moe.gguf";
        Run single = imatrix(model, true, 128, 10, true, false, 0, false, ChunkListener.NONE, "single");
        Run batched = imatrix(model, false, 128, 10, true, false, 0, false, ChunkListener.NONE, "batched");
        ImatrixFile a = ImatrixFiles.load(single.file(), REGISTRY);
        ImatrixFile b = ImatrixFiles.load(batched.file(), REGISTRY);
        assertEquals(a.chunkCount(), b.chunkCount());
        assertEquals(a.entries().keySet(), b.entries().keySet());
        for (Map.Entry<String, ImatrixEntry> e : a.entries().entrySet()) {
            ImatrixEntry other = b.entries().get(e.getKey());
            assertArrayEquals(e.getValue().counts(), other.counts(), e.getKey() + " counts");
            float[] x = e.getValue().sums();
            float[] y = other.sums();
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i], y[i], Math.abs(x[i]) * 1e-6, e.getKey() + " in_sum2[" + i + "]");
            }
        }
    }

    @Test
    void killedBatchedRunResumesFromItsCheckpoint() throws IOException {
        String model = "models/stories260K.gguf";
        Run plain = imatrix(model, false, 128, 10, true, false, 0, false, ChunkListener.NONE, "plain");
        // 16 chunks of 128 fit a batch; checkpoints every 3 chunks cut the passes at 3, 6, 9; killed in chunk 8
        ChunkListener kill = (chunk, n, nanos, text) -> {
            if (chunk == 8) {
                throw new CancellationException("killed");
            }
        };
        assertThrows(CancellationException.class,
                () -> imatrix(model, false, 128, 10, true, false, 3, false, kill, "resumed"));
        assertTrue(Files.exists(ImatrixJob.checkpointOf(dir.resolve("resumed.gguf"))));
        Run resumed = imatrix(model, false, 128, 10, true, false, 3, true, ChunkListener.NONE, "resumed");
        assertEquals(plain.ppl(), resumed.ppl());
        assertArrayEquals(Files.readAllBytes(plain.file()), Files.readAllBytes(resumed.file()));
    }
}
