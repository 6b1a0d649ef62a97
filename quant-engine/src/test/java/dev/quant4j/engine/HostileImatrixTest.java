package dev.quant4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An imatrix made for another model, or cut short: the error names the file, the tensor and the position. */
class HostileImatrixTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(HostileImatrixTest.class.getClassLoader());
    private static Path model;

    @BeforeAll
    static void writeModel(@TempDir Path dir) throws IOException {
        model = new DemoModel(2, 256, 512, 4, 2, 512, 9).write(REGISTRY, dir.resolve("m.gguf"));
    }

    /** A legacy .dat of one entry with {@code columns} values of 1, ncall 1, no trailer. */
    private static byte[] dat(String name, int columns) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(16 + n.length + 4 * columns).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(1).putInt(n.length).put(n).putInt(1).putInt(columns);
        for (int i = 0; i < columns; i++) {
            b.putFloat(1f);
        }
        return b.array();
    }

    private static QuantizeJob.Builder job(Path imatrix, Path out) {
        return QuantizeJob.builder(REGISTRY).input(model).output(out).importance(imatrix)
                .planner("llama-cpp", FileTypes.plannerOptions(REGISTRY, "Q4_K_M"));
    }

    @Test
    void imatrixOfAnotherModelNamesFileAndTensor(@TempDir Path tmp) throws IOException {
        // ffn_down's rows here have 512 values (the ffn width); this imatrix has 300 for it
        Path imatrix = Files.write(tmp.resolve("other.dat"), dat("blk.0.ffn_down.weight", 300));
        QuantException e = assertThrows(QuantException.class, () -> job(imatrix, tmp.resolve("o.gguf")).build().run());
        // the llama-cpp planner refuses first, in llama-quantize's words plus the file (the engine checks too)
        assertEquals("imatrix size 300 is different from tensor size 512 for blk.0.ffn_down.weight; the imatrix "
                + imatrix + " was made for another model", e.getMessage());
        assertEquals(0, Files.list(tmp).filter(p -> p.getFileName().toString().startsWith("o.gguf")).count());
    }

    @Test
    void truncatedImatrixNamesFileEntryAndOffset(@TempDir Path tmp) throws IOException {
        byte[] whole = dat("blk.0.ffn_down.weight", 512);
        Path imatrix = Files.write(tmp.resolve("cut.dat"), Arrays.copyOf(whole, 1000));
        CorruptFormatException e = assertThrows(CorruptFormatException.class,
                () -> job(imatrix, tmp.resolve("o.gguf")).build().run());
        // header: n_entries (4) + name_len (4) + 21 name bytes + ncall (4) = 33; nval sits at byte 33
        assertEquals(imatrix + ": corrupt at byte 33 (entry 0 nval): 512 values for 'blk.0.ffn_down.weight' need 2048 "
                + "bytes, only 963 left (legacy imatrix .dat)", e.getMessage());
    }
}
