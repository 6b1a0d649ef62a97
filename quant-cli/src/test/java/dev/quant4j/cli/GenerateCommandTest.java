package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quant4j.tck.SharedData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * {@code quant generate} against llama-completion's stdout in reference/eval/generate ({@code -n 48 --temp 0}).
 * Prompt ids are BOS + the prompt's SentencePiece tokens; each is the only segmentation the 512-token vocabulary
 * allows (e.g. "▁ROMEO:" has no multi-character piece, so it is 7 single characters), and the test's exact
 * text comparison includes the detokenized prompt, so a wrong id would show.
 */
class GenerateCommandTest {
    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "models/stories260K.gguf; 1,403,407,261,378; stories260K.once-upon-a-time.txt",
        "models/stories260K.gguf; 1,291,376,400,428; stories260K.the-little-dog.txt",
        "reference/trained/tiny-shakespeare-256-f16.gguf; 1,410,461,441,446,459,441,467; tiny-shakespeare-256-f16.romeo.txt"})
    void greedyTextEqualsLlamaCompletion(String model, String ids, String reference) throws Exception {
        String expected = Files.readString(SharedData.require("reference/eval/generate/" + reference));
        Run r = run("generate", "-m", SharedData.require(model).toString(), "--ids", ids, "-n", "48", "-t", "2");
        assertEquals(0, r.code(), r.err());
        assertEquals(expected, r.out());
    }

    @Test
    void jsonCarriesIdsAndText() throws Exception {
        String expected = Files.readString(SharedData.require("reference/eval/generate/stories260K.once-upon-a-time.txt"));
        Run r = run("generate", "-m", SharedData.require("models/stories260K.gguf").toString(), "--ids",
                "1,403,407,261,378", "-n", "48", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertArrayEquals(new int[] {1, 403, 407, 261, 378},
                StreamSupport.stream(root.get("prompt_ids").spliterator(), false).mapToInt(JsonNode::asInt).toArray());
        assertEquals(48, root.get("ids").size());
        assertEquals(expected, root.get("prompt_text").asText() + root.get("text").asText() + "\n\n");
    }

    /** {@code -p}: BOS + the real tokenizer's ids, as llama-completion; stdout compared byte for byte. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "models/stories260K.gguf; Once upon a time; stories260K.once-upon-a-time.txt",
        "models/stories260K.gguf; The little dog; stories260K.the-little-dog.txt",
        "reference/trained/tiny-shakespeare-256-f16.gguf; ROMEO:; tiny-shakespeare-256-f16.romeo.txt"})
    void promptTextGivesLlamaCompletionsStdout(String model, String prompt, String reference) throws Exception {
        String expected = Files.readString(SharedData.require("reference/eval/generate/" + reference));
        Run r = run("generate", "-m", SharedData.require(model).toString(), "-p", prompt, "-n", "48", "-t", "2");
        assertEquals(0, r.code(), r.err());
        assertEquals(expected, r.out());
    }

    @Test
    void utf8PiecesAreHeldUntilComplete() {
        StringWriter s = new StringWriter();
        GenerateCommand.Utf8Printer p = new GenerateCommand.Utf8Printer(new PrintWriter(s, true));
        p.write(new byte[] {'a', (byte) 0xC3});
        assertEquals("a", s.toString());
        p.write(new byte[] {(byte) 0xA9, (byte) 0xE2, (byte) 0x96});
        assertEquals("aé", s.toString());
        p.write(new byte[] {(byte) 0x81});
        assertEquals("aé▁", s.toString());
    }
}
