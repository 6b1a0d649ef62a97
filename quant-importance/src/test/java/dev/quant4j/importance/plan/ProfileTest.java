package dev.quant4j.importance.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileTest {
    @Test
    void jsonProfileAddsFloorsCeilingsAndWeightsToItsBase(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("p.json");
        Files.writeString(f, """
                {"name": "mine", "base": "attention-high",
                 "floors": {"ffn_down": "q5_k"}, "ceilings": {"ffn_up": "q4_k"},
                 "weights": {"ffn": 1.5}, "candidates": ["q4_k", "q5_k", "q6_k", "q8_0"]}
                """);
        Profile p = Profile.named(f.toString());
        assertEquals("mine", p.name());
        assertEquals(List.of(DType.Q4_K, DType.Q5_K, DType.Q6_K, DType.Q8_0), p.candidates());
        assertFalse(p.allows("blk.3.ffn_down.weight", DType.Q4_K));
        assertTrue(p.allows("blk.3.ffn_down.weight", DType.Q5_K));
        assertFalse(p.allows("blk.3.ffn_up.weight", DType.Q5_K));
        assertFalse(p.allows("blk.3.attn_q.weight", DType.Q3_K), "the base's attention floor stays");
        assertEquals(1.5, p.weight("blk.0.ffn_gate.weight"));
        assertEquals(2.0, p.weight("blk.0.attn_k.weight"));
    }

    @Test
    void badProfilesAreRefusedNamingTheProblem(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("bad.json");
        Files.writeString(f, "{\"floors\": {\"attn\": \"q4_q\"}}");
        var e = assertThrows(IllegalArgumentException.class, () -> Profile.named(f.toString()));
        assertTrue(e.getMessage().contains("q4_q") && e.getMessage().contains(f.toString()), e.getMessage());
        Files.writeString(f, "{\"weights\": {\"attention\": 2,}}");
        e = assertThrows(IllegalArgumentException.class, () -> Profile.named(f.toString()));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
        Files.writeString(f, "{\"flors\": {}}");
        e = assertThrows(IllegalArgumentException.class, () -> Profile.named(f.toString()));
        assertTrue(e.getMessage().contains("flors"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Profile.named("no-such-profile"));
    }

    @Test
    void tensorTypeFileEntriesMatchExactlyTheirTensor() {
        String e = TensorTypeFile.entry("blk.1.attn_q.weight", DType.Q4_K);
        assertEquals("^blk\\.1\\.attn_q\\.weight$=q4_K", e);
        var p = java.util.regex.Pattern.compile(e.substring(0, e.indexOf('=')));
        assertTrue(p.matcher("blk.1.attn_q.weight").find());
        assertFalse(p.matcher("blk.11.attn_q.weight").find());
        assertFalse(p.matcher("blk.1.attn_qXweight").find());
    }

    @Test
    void sizesParseWithBinarySuffixes() {
        assertEquals((long) (3.2 * (1L << 30)), ImportanceOptions.parseSize("3.2G"));
        assertEquals(800L << 20, ImportanceOptions.parseSize("800M"));
        assertEquals(123456789L, ImportanceOptions.parseSize("123456789"));
        assertThrows(IllegalArgumentException.class, () -> ImportanceOptions.parseSize("3.2X"));
    }

    @Test
    void extraFloorsAddToTheProfile() {
        Profile p = Profile.named("balanced").withFloors(java.util.List.of("^blk\\.1\\.ffn_down\\.weight$=q4_k"));
        assertEquals(false, p.allows("blk.1.ffn_down.weight", dev.quant4j.api.tensor.DType.Q3_K));
        assertEquals(true, p.allows("blk.1.ffn_down.weight", dev.quant4j.api.tensor.DType.Q4_K));
        assertEquals(true, p.allows("blk.2.ffn_down.weight", dev.quant4j.api.tensor.DType.Q2_K));
        assertThrows(IllegalArgumentException.class, () -> Profile.floors(java.util.List.of("ffn_down")));
        assertThrows(IllegalArgumentException.class, () -> Profile.floors(java.util.List.of("ffn_down=q9_z")));
    }
}
