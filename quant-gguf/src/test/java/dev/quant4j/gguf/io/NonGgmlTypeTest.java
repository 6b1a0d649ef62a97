package dev.quant4j.gguf.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Element types of other containers (safetensors FP8, U8) have no ggml id: the writer refuses them up front. */
class NonGgmlTypeTest {
    @Test
    void fp8TensorIsRefusedBeforeAnyFileIsCreated(@TempDir Path tmp) {
        Path out = tmp.resolve("m.gguf");
        ModelLayout layout = new ModelLayout(Metadata.empty(), List.of(
                new ModelLayout.TensorSlot("w", DType.F8_E4M3, Shape.of(4, 2), 8)));
        QuantException e = assertThrows(QuantException.class, () -> new GgufFormatProvider().create(out, layout,
                WriteOptions.SINGLE_FILE));
        assertTrue(e.getMessage().contains("tensor 'w': type f8_e4m3 has no ggml id"), e.getMessage());
        assertTrue(Files.notExists(out) && Files.notExists(tmp.resolve("m.gguf.tmp")));
    }
}
