package dev.quant4j.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.eval.evaluation.EvaluationModel;
import dev.quant4j.eval.metrics.ChunkListener;
import dev.quant4j.eval.metrics.EvalText;
import dev.quant4j.eval.model.RunOptions;
import dev.quant4j.tck.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The quality report of llama.cpp's own Q4_K_M of the trained model against its F16, over the first 8 chunks of 256
 * of the held-out text, checked against llama-perplexity's logs of those chunks (shared/reference/eval/kld) and the
 * tensor types llama-quantize printed; and the report of a model against itself.
 */
class QualityRunTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(QualityRunTest.class.getClassLoader());
    private static final String DIR = "reference/trained/";
    private static final Pattern TYPES = Pattern.compile("\\] (\\S+) +- .*type = +(\\w+)(?:, converting to (\\w+))?");

    private static QualityReport report(Path base, Path quantized) throws IOException {
        byte[] text = EvalText.bytes(SharedData.require(DIR + "tiny-shakespeare-256-heldout.txt"));
        try (EvaluationModel b = EvaluationModel.open(base, REGISTRY, RunOptions.llamaCppEmulation());
             EvaluationModel q = EvaluationModel.open(quantized, REGISTRY, RunOptions.llamaCppEmulation())) {
            int[] tokens = b.tokenizer().encodeUtf8(text, true, false);
            return new QualityRun(256, 8, ChunkListener.NONE).run(b, q, tokens);
        }
    }

    @Test
    void llamaCppQ4KMatchesLlamaPerplexityAfterEightChunks() throws IOException {
        Path f16 = SharedData.require(DIR + "tiny-shakespeare-256-f16.gguf");
        Path q4 = SharedData.require(DIR + "tiny-shakespeare-256-Q4_K_M.gguf");
        QualityReport r = report(f16, q4);
        // llama-perplexity: base log "[8]7.5713", Q4_K_M log chunk 8: PPL 7.5770, KLD 0.00285, same top 96.457 %
        assertEquals(8 * 127, r.kld().tokens());
        assertEquals(7.5713, r.basePerplexity().perplexity(), 0.002);
        assertEquals(7.5770, r.kld().perplexity().value(), 0.002);
        assertEquals(0.00285, r.kld().kld().value(), 0.00015);
        assertEquals(0.96457, r.kld().sameTop().value(), 0.005);
        assertEquals(100 * (7.5770 / 7.5713 - 1), r.perplexityChangePercent(), 0.05);

        // every tensor llama-quantize converted, and only those, with the file's bits per weight
        Set<String> converted = new TreeSet<>();
        for (String line : Files.readAllLines(SharedData.require(DIR + "tiny-shakespeare-256-Q4_K_M.types.txt"))) {
            Matcher m = TYPES.matcher(line);
            if (m.find() && m.group(3) != null) {
                converted.add(m.group(1));
            }
        }
        assertEquals(converted, new TreeSet<>(r.tensors().stream().map(QualityReport.TensorError::name).toList()));
        for (QualityReport.TensorError t : r.tensors()) {
            assertTrue(t.relativeRmse() > 0.005 && t.relativeRmse() < 0.2, t.toString()); // 4-6 bit types
        }
        assertEquals(Files.size(q4), r.fileBytes());
        assertEquals(7, r.layers().size()); // blk.0..5 and the tensors outside blocks
        assertTrue(r.bitsPerWeight() > 4.5 && r.bitsPerWeight() < 6, String.valueOf(r.bitsPerWeight()));
        assertEquals(List.of(), r.superWeights());
    }

    @Test
    void aModelAgainstItselfLosesNothing() throws IOException {
        Path f16 = SharedData.require(DIR + "tiny-shakespeare-256-f16.gguf");
        QualityReport r = report(f16, f16);
        assertEquals(List.of(), r.tensors());
        assertEquals(1.0, r.kld().sameTop().value());
        // only the base file's 16-bit log-probability codes separate the two (about 1e-4 nats per entry)
        assertTrue(r.kld().kld().value() < 1e-4, String.valueOf(r.kld().kld().value()));
        assertEquals(0, r.perplexityChangePercent(), 0.01);
    }

    @Test
    void layersAreElementWeightedAndBarsScale() {
        // layer 0: tensors of 100 and 300 elements at 0.1 and 0.3 → sqrt((0.01·100 + 0.09·300) / 400) = sqrt(0.07)
        List<QualityReport.LayerError> l = QualityRun.layers(List.of(
                new QualityReport.TensorError("blk.0.a", 0, "f16", "q4_k", 100, 4.5, 0.1),
                new QualityReport.TensorError("blk.0.b", 0, "f16", "q4_k", 300, 4.5, 0.3),
                new QualityReport.TensorError("output.weight", -1, "f16", "q6_k", 50, 6.5, 0.05)));
        assertEquals(-1, l.get(0).layer());
        assertEquals(0.05, l.get(0).relativeRmse(), 1e-12);
        assertEquals(Math.sqrt(0.07), l.get(1).relativeRmse(), 1e-12);
        assertEquals(400, l.get(1).elements());
        assertEquals(20, QualityText.bar(0.5, 1.0).length());
        assertEquals(QualityText.BAR, QualityText.bar(1.0, 1.0).length());
        assertEquals(1, QualityText.bar(1e-9, 1.0).length());
        assertEquals("", QualityText.bar(0, 1.0));
    }
}
