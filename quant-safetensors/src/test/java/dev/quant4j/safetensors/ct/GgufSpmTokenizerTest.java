package dev.quant4j.safetensors.ct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.json.JsonParser;
import dev.quant4j.api.json.JsonValue;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.safetensors.hf.SpmModel;
import dev.quant4j.safetensors.io.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokenizer files for compressed-tensors output from a GGUF source: the SentencePiece model rebuilt from the GGUF's
 * tokenizer.ggml.* metadata must hold exactly the pieces (text, score, type) of the sentencepiece file the GGUF's
 * vocabulary came from (tok512.model, in the reference HF folder); a GPT-2 BPE vocabulary is not rebuilt.
 */
class GgufSpmTokenizerTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(GgufSpmTokenizerTest.class.getClassLoader());

    @Test
    void sentencepieceVocabularyIsRebuiltPieceForPiece(@TempDir Path tmp) throws Exception {
        Path gguf = SharedData.require("reference/trained/tiny-shakespeare-256-f16.gguf");
        try (ModelReader r = REGISTRY.format("gguf").open(gguf)) {
            assertTrue(GgufSpmTokenizer.write(r.metadata(), tmp));
        }
        SpmModel original = SpmModel.read(SharedData.require("reference/hf/tiny-shakespeare-256-f32/tokenizer.model"));
        assertEquals(original.pieces(), SpmModel.read(tmp.resolve("tokenizer.model")).pieces());
        JsonValue.Obj config = (JsonValue.Obj) JsonParser.parse(Files.readString(tmp.resolve("tokenizer_config.json")));
        assertEquals("LlamaTokenizer", config.string("tokenizer_class").orElseThrow());
        assertEquals("<s> </s> <unk>", config.string("bos_token").orElseThrow() + " " + config.string("eos_token").orElseThrow()
                + " " + config.string("unk_token").orElseThrow());
        assertEquals(true, config.bool("add_bos_token").orElseThrow());
        assertEquals(false, config.bool("add_eos_token").orElseThrow());
        assertTrue(Files.readString(tmp.resolve("special_tokens_map.json")).contains("\"bos_token\": \"<s>\""));
    }

    @Test
    void bpeVocabularyIsNotRebuilt(@TempDir Path tmp) throws Exception {
        Path gguf = SharedData.require("models/ggml-vocab-gpt-2.gguf");
        try (ModelReader r = REGISTRY.format("gguf").open(gguf)) {
            assertFalse(GgufSpmTokenizer.write(r.metadata(), tmp));
        }
        try (var s = Files.list(tmp)) {
            assertEquals(0, s.count(), "nothing written");
        }
    }
}
