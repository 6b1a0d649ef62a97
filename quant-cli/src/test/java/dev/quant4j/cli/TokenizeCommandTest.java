package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quant4j.tck.SharedData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quant tokenize} against llama-tokenize's output in shared/reference/eval/tokenizer/. */
class TokenizeCommandTest {
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "tokenize";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = Main.run(all, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void idsOfTheHeldOutTextEqualLlamaTokenizeExactly() throws Exception {
        Path model = SharedData.require("models/stories260K.gguf");
        Path text = SharedData.require("reference/trained/tiny-shakespeare-256-heldout.txt");
        String expected = Files.readString(
                SharedData.require("reference/eval/tokenizer/tiny-shakespeare-256-heldout.stories260K.ids"));
        Run r = run("-m", model.toString(), "-f", text.toString(), "--ids", "--no-parse-special");
        assertEquals(0, r.code(), r.err());
        assertEquals(expected, r.out());
    }

    @Test
    void defaultOutputShowsIdArrowPieceLines() throws Exception {
        Path model = SharedData.require("models/stories260K.gguf");
        Run r = run("-m", model.toString(), "-p", "Once upon\\n a time", "--show-count");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals("     1 -> '<s>'", lines[0]);
        assertTrue(lines[1].matches(" +\\d+ -> ' ?[A-Za-z]+'"), lines[1]);
        assertTrue(r.out().contains("'\n'\n"), "the escaped \\n is tokenized as a newline: " + r.out());
        Run ids = run("-m", model.toString(), "-p", "Once upon\\n a time", "--ids");
        int count = ids.out().split(",").length;
        assertEquals("Total number of tokens: " + count, lines[lines.length - 1]);
        assertEquals(count + 1, lines.length - 1, "one line per token, the newline piece spanning two");
    }

    @Test
    void jsonAndStdinAgreeWithIds() throws Exception {
        Path model = SharedData.require("models/ggml-vocab-gpt-2.gguf");
        Run ids = run("-m", model.toString(), "-p", "Hello world", "--ids");
        assertEquals(0, ids.code(), ids.err());
        assertEquals("[15496, 995]\n", ids.out()); // the first pair of llama.cpp's gpt-2 test vectors
        Run json = run("-m", model.toString(), "-p", "Hello world", "--json");
        JsonNode root = new ObjectMapper().readTree(json.out());
        assertEquals(2, root.get("count").asInt());
        assertEquals(15496, root.get("ids").get(0).asInt());
        assertEquals(" world", root.get("pieces").get(1).asText());
        Path file = tmp.resolve("in.txt");
        Files.writeString(file, "Hello world", StandardCharsets.UTF_8);
        assertEquals(ids.out(), run("-m", model.toString(), "-f", file.toString(), "--ids").out());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void badModelFilesFailWithExitCode3() throws Exception {
        Path text = tmp.resolve("not-a-model.gguf");
        Files.writeString(text, "hello");
        Run r = run("-m", text.toString(), "-p", "x");
        assertEquals(3, r.code());
        assertTrue(r.err().contains("not-a-model.gguf"), r.err());
        Path model = SharedData.require("models/stories260K.gguf");
        Path truncated = tmp.resolve("truncated.gguf");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(model), 4000));
        r = run("-m", truncated.toString(), "-p", "x");
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("truncated.gguf"), r.err());
        byte[] bytes = Files.readAllBytes(model);
        int at = indexOf(bytes, "<unk>".getBytes(StandardCharsets.US_ASCII));
        bytes[at + 1] = (byte) 0xFF; // token 0 becomes invalid UTF-8
        Path badToken = tmp.resolve("bad-token.gguf");
        Files.write(badToken, bytes);
        r = run("-m", badToken.toString(), "-p", "x");
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("bad-token.gguf") && r.err().contains("UTF-8"), r.err());
        r = run("-m", tmp.resolve("missing.gguf").toString(), "-p", "x");
        assertEquals(4, r.code(), r.err());
        assertTrue(r.err().contains("missing.gguf: no such file"), r.err());
    }
}
