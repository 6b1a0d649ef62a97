package dev.quant4j.safetensors.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.safetensors.io.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken Hugging Face directories fail with the file and the problem named. */
class HfHostileTest {
    @TempDir
    Path tmp;

    /** A copy of the reference F32 folder (symlinked weights) to break one file of. */
    private Path copy() throws Exception {
        Path src = SharedData.require("reference/hf/tiny-shakespeare-256-f32");
        Path dir = Files.createDirectory(tmp.resolve("tiny-shakespeare-256-f32"));
        try (Stream<Path> s = Files.list(src)) {
            for (Path p : s.toList()) {
                Files.createSymbolicLink(dir.resolve(p.getFileName()), p.toAbsolutePath());
            }
        }
        return dir;
    }

    private void replace(Path dir, String name, byte[] bytes) throws Exception {
        Files.delete(dir.resolve(name));
        Files.write(dir.resolve(name), bytes);
    }

    @Test
    void configProblems() throws Exception {
        Path dir = copy();
        String config = Files.readString(dir.resolve("config.json"));
        replace(dir, "config.json", config.replace("\"num_attention_heads\": 4,", "").getBytes());
        CorruptFormatException e = assertThrows(CorruptFormatException.class, () -> HfModelReader.open(dir).close());
        assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("num_attention_heads"), e.getMessage());
        replace(dir, "config.json", config.replace("LlamaForCausalLM", "GPTNeoXForCausalLM").getBytes());
        QuantException q = assertThrows(QuantException.class, () -> HfModelReader.open(dir).close());
        assertTrue(q.getMessage().contains("architecture GPTNeoXForCausalLM is not supported"), q.getMessage());
        replace(dir, "config.json", "{\"architectures\": [".getBytes());
        e = assertThrows(CorruptFormatException.class, () -> HfModelReader.open(dir).close());
        assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("unexpected end"), e.getMessage());
    }

    /** Fused Qwen-MoE experts must be 3-D with an even 2·n_ff; anything else fails naming the tensor. */
    @Test
    void malformedFusedExpertsFail() throws Exception {
        for (dev.quant4j.api.tensor.Shape shape : java.util.List.of(dev.quant4j.api.tensor.Shape.of(8, 4),
                dev.quant4j.api.tensor.Shape.of(8, 3, 2))) {
            Path dir = Files.createDirectories(tmp.resolve("fused-" + shape.rank()));
            Files.writeString(dir.resolve("config.json"), "{\"architectures\": [\"Qwen3MoeForCausalLM\"], \"hidden_size\": 8,"
                    + " \"num_hidden_layers\": 1, \"num_attention_heads\": 2, \"vocab_size\": 4, \"num_experts\": 2}");
            var slot = new dev.quant4j.api.spi.ModelLayout.TensorSlot("model.layers.0.mlp.experts.gate_up_proj",
                    dev.quant4j.api.tensor.DType.F32, shape, 4 * shape.elementCount());
            try (var w = dev.quant4j.safetensors.io.SafetensorsWriter.create(dir.resolve("model.safetensors"),
                    new dev.quant4j.api.spi.ModelLayout(new dev.quant4j.api.tensor.Metadata(java.util.List.of()),
                            java.util.List.of(slot)), dev.quant4j.api.spi.WriteOptions.SINGLE_FILE)) {
                w.write(0, 0, java.lang.foreign.MemorySegment.ofArray(new byte[(int) slot.byteSize()]));
                w.commit();
            }
            CorruptFormatException e = assertThrows(CorruptFormatException.class, () -> HfModelReader.open(dir).close());
            assertTrue(e.getMessage().contains("model.layers.0.mlp.experts.gate_up_proj")
                    && e.getMessage().contains("fused experts must be 3-D"), e.getMessage());
        }
    }

    @Test
    void chatTemplateFromTokenizerConfig() throws Exception {
        Path dir = copy();
        String tc = Files.readString(dir.resolve("tokenizer_config.json"));
        replace(dir, "tokenizer_config.json", tc.replaceFirst("\\{", "{\"chat_template\": \"{{ bos_token }}\\\\n\",").getBytes());
        try (HfModelReader r = HfModelReader.open(dir)) {
            assertEquals("{{ bos_token }}\n", r.metadata().getString("tokenizer.chat_template").orElseThrow());
            java.util.List<String> keys = r.metadata().entries().stream().map(e -> e.key()).toList();
            assertEquals("tokenizer.chat_template", keys.getLast(), "written after add_bos/add_eos, as SpecialVocab does");
        }
    }

    @Test
    void truncatedTokenizerModelFails() throws Exception {
        Path dir = copy();
        byte[] spm = Files.readAllBytes(dir.resolve("tokenizer.model"));
        for (int len : new int[] {1, 2, 7, 100, spm.length / 2}) {
            replace(dir, "tokenizer.model", Arrays.copyOf(spm, len));
            CorruptFormatException e = assertThrows(CorruptFormatException.class, () -> HfModelReader.open(dir).close(),
                    "tokenizer.model cut to " + len);
            assertTrue(e.getMessage().contains("tokenizer.model"), e.getMessage());
        }
    }

    @Test
    void spmPiecesParsedFromProtobuf() throws Exception {
        SpmModel m = SpmModel.read(SharedData.require("reference/hf/tiny-shakespeare-256-f32/tokenizer.model"));
        assertEquals(512, m.pieces().size());
        assertEquals(new SpmModel.Piece("<unk>", 0f, 2), m.pieces().get(0)); // UNKNOWN
        assertEquals(new SpmModel.Piece("<s>", 0f, 3), m.pieces().get(1)); // CONTROL
        assertEquals(new SpmModel.Piece("<0x00>", 0f, 6), m.pieces().get(3)); // BYTE
    }

    @Test
    void sizeLabelAndNameFollowGgufPy() {
        assertEquals("5.0M", GeneralNames.sizeLabel(4_984_064));
        assertEquals("3.3M", GeneralNames.sizeLabel(3_315_840));
        assertEquals("8.0B", GeneralNames.sizeLabel(8_030_261_248L));
        assertEquals("135M", GeneralNames.sizeLabel(134_515_008));
        assertEquals("Tiny Shakespeare 256 Bf16 Sharded", ModelId.title("tiny-shakespeare-256-bf16-sharded"));
        assertEquals("Llama 3.2 1B Instruct", ModelId.title("Llama-3.2-1B-Instruct"));
        assertEquals("Llama 2 7b Chat Hf", ModelId.title("llama-2-7b-chat-hf"));
        ModelId id = ModelId.parse("tiny-shakespeare-256-bf16-sharded", 4_984_064);
        assertEquals("tiny-shakespeare-256 sharded null", id.basename() + " " + id.finetune() + " " + id.version());
        ModelId none = ModelId.parse("tiny-shakespeare-256-f32", 4_984_064);
        assertEquals(null, none.basename());
        ModelId llama = ModelId.parse("meta-llama/Llama-3.2-1B-Instruct", 1_235_814_400);
        assertEquals("Llama-3.2-1B-Instruct Llama-3.2 null Instruct 1B", llama.name() + " " + llama.basename() + " "
                + llama.version() + " " + llama.finetune() + " " + llama.sizeLabel());
    }
}
