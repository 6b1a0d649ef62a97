package dev.quant4j.eval.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
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
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code quant imatrix --layer-streaming}: all chunks through block 0, then block 1, ... gives the file of the
 * chunk-by-chunk run bit for bit (every in_sum2 and count, the perplexity, the bytes), for a dense and a MoE model
 * and for chunks longer than a 512-token micro-batch (520: a last micro-batch under llama-imatrix's 16-row
 * minimum); and a killed layer-streamed run resumed from its checkpoint gives the same file.
 */
class ImatrixLayerStreamingTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(ImatrixLayerStreamingTest.class.getClassLoader());
    private static final String TEXT = "text/tinystories_sample.txt";

    @TempDir
    Path dir;

    private record Run(Path file, String ppl) {
    }

    private Run imatrix(String model, LayerStreaming streaming, int nCtx, int chunks, int every, boolean resume,
                        ChunkListener listener, String name) throws IOException {
        Path text = SharedData.require(TEXT);
        Path out = dir.resolve(name + ".gguf");
        try (EvaluationModel m = EvaluationModel.open(SharedData.require(model), REGISTRY,
                RunOptions.defaults().withThreads(2), streaming)) {
            assertEquals(streaming == LayerStreaming.ON, m.layerStreaming());
            int[] tokens = m.tokenizer().encode(EvalText.read(text), true, false);
            ImatrixJob.Result r = ImatrixJob.builder(REGISTRY).output(out).chunkSize(nCtx).maxChunks(chunks)
                    .checkpointEvery(every).resume(resume).listener(listener)
                    .collect(tokens, m, m.chunkBos(), text.getFileName().toString()).build().run();
            return new Run(out, r.perplexity().orElseThrow().finalLine());
        }
    }

    @ParameterizedTest(name = "{0} -c {1} --chunks {2}")
    @CsvSource({
        "models/stories260K.gguf, 128, 10",
        "models/stories260K.gguf, 600, 3",
        "models/stories260K.gguf, 520, 3",
        "reference/eval/models/synth-moe.gguf, 128, 10"})
    void layerStreamingGivesTheChunkByChunkFile(String model, int nCtx, int chunks) throws IOException {
        Run plain = imatrix(model, LayerStreaming.OFF, nCtx, chunks, 0, false, ChunkListener.NONE, "plain");
        Run streamed = imatrix(model, LayerStreaming.ON, nCtx, chunks, 0, false, ChunkListener.NONE, "streamed");
        assertSameStatistics(plain.file(), streamed.file());
        assertEquals(plain.ppl(), streamed.ppl());
        assertArrayEquals(Files.readAllBytes(plain.file()), Files.readAllBytes(streamed.file()));
    }

    @Test
    void killedLayerStreamedRunResumesFromItsCheckpoint() throws IOException {
        String model = "reference/eval/models/synth-moe.gguf";
        Run plain = imatrix(model, LayerStreaming.OFF, 128, 10, 0, false, ChunkListener.NONE, "plain");
        // passes of 4 chunks: a checkpoint after chunk 4 and 8; killed while chunk 6 is reported (second pass)
        ChunkListener kill = (chunk, n, nanos, text) -> {
            if (chunk == 6) {
                throw new CancellationException("killed");
            }
        };
        assertThrows(CancellationException.class,
                () -> imatrix(model, LayerStreaming.ON, 128, 10, 4, false, kill, "resumed"));
        assertTrue(Files.exists(ImatrixJob.checkpointOf(dir.resolve("resumed.gguf"))));
        Run resumed = imatrix(model, LayerStreaming.ON, 128, 10, 4, true, ChunkListener.NONE, "resumed");
        assertEquals(plain.ppl(), resumed.ppl());
        assertArrayEquals(Files.readAllBytes(plain.file()), Files.readAllBytes(resumed.file()));
    }

    private static void assertSameStatistics(Path expected, Path actual) throws IOException {
        ImatrixFile a = ImatrixFiles.load(expected, REGISTRY);
        ImatrixFile b = ImatrixFiles.load(actual, REGISTRY);
        assertEquals(a.chunkCount(), b.chunkCount());
        assertEquals(a.entries().keySet(), b.entries().keySet());
        for (Map.Entry<String, ImatrixEntry> e : a.entries().entrySet()) {
            ImatrixEntry other = b.entries().get(e.getKey());
            assertArrayEquals(e.getValue().sums(), other.sums(), e.getKey() + " in_sum2");
            assertArrayEquals(e.getValue().counts(), other.counts(), e.getKey() + " counts");
        }
    }
}
