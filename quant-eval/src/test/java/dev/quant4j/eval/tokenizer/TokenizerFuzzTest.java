package dev.quant4j.eval.tokenizer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile tokenizer metadata. The Jazzer target {@link #fromMetadata} builds {@code tokenizer.ggml.*} metadata
 * from fuzz bytes (model and pre-tokenizer names, tokens, scores, token types, merges, special ids, flags, in
 * the right types or not, parallel arrays of matching length or not), builds the tokenizer and encodes the rest
 * of the input. The only acceptable failure is a {@link QuantException} (a {@link TokenizerException} for bad
 * metadata); a tokenizer that builds must give ids inside its vocabulary. Anything else (another exception, an
 * OutOfMemoryError, a hang) is a finding. In verify the seeds in {@code TokenizerFuzzTestInputs/} are replayed;
 * to fuzz: {@code JAZZER_FUZZ=1 ./mvnw -o -B -pl quant-eval -am test -Dtest=TokenizerFuzzTest#fromMetadata
 * -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.hooks=true}.
 */
class TokenizerFuzzTest {
    private static final String P = "tokenizer.ggml.";
    /** Pieces real vocabularies hold, so that fuzzed vocabularies often build and reach the encoders. */
    private static final List<String> PIECES = List.of("<unk>", "<s>", "</s>", "\u2581", "\u2581a", "a", "b", "ab",
            "<0x41>", "<0x0A>", "<0xE2>", "\u0120", "\u0120a", "\u010a", "[CLS]", "[SEP]", "[UNK]", "##b", "<|eot_id|>",
            "\u00e9", "\ud83d\ude00", " ", "");
    private static final List<String> MODELS = List.of("llama", "gpt2", "bert");
    private static final List<String> PRES = List.of("default", "llama3", "qwen2", "gpt-2", "deepseek-llm",
            "deepseek-coder", "falcon", "starcoder", "glm4", "dbrx", "");
    private static final List<String> ID_KEYS = List.of("bos_token_id", "eos_token_id", "unknown_token_id",
            "seperator_token_id", "padding_token_id", "eot_token_id", "mask_token_id", "prefix_token_id");
    private static final List<String> FLAGS = List.of("add_bos_token", "add_eos_token", "add_space_prefix",
            "add_sep_token");

    @FuzzTest(maxDuration = "5m")
    void fromMetadata(FuzzedDataProvider data) {
        List<Metadata.Entry> md = new ArrayList<>();
        if (data.consumeInt(0, 15) != 0) {
            md.add(new Metadata.Entry(P + "model", MetaValue.text(data.consumeInt(0, 7) != 0
                    ? data.pickValue(MODELS) : data.consumeString(8))));
        }
        if (data.consumeBoolean()) {
            md.add(new Metadata.Entry(P + "pre", MetaValue.text(data.consumeInt(0, 7) != 0
                    ? data.pickValue(PRES) : data.consumeString(8))));
        }
        int n = data.consumeInt(0, 48);
        List<MetaValue> tokens = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tokens.add(MetaValue.text(data.consumeBoolean() ? data.pickValue(PIECES) : data.consumeString(4)));
        }
        if (data.consumeInt(0, 15) != 0) {
            md.add(new Metadata.Entry(P + "tokens", data.consumeInt(0, 15) != 0
                    ? new MetaValue.Array(MetaType.STRING, tokens) : MetaValue.u32(n)));
        }
        if (data.consumeBoolean()) {
            int m = data.consumeInt(0, 7) != 0 ? n : data.consumeInt(0, 48);
            List<MetaValue> scores = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                scores.add(new MetaValue.Real(MetaType.FLOAT32, data.consumeBoolean() ? -i : data.consumeFloat()));
            }
            md.add(new Metadata.Entry(P + "scores", data.consumeInt(0, 15) != 0
                    ? new MetaValue.Array(MetaType.FLOAT32, scores) : MetaValue.text("x")));
        }
        if (data.consumeBoolean()) {
            int m = data.consumeInt(0, 7) != 0 ? n : data.consumeInt(0, 48);
            List<MetaValue> types = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                types.add(MetaValue.i32(data.consumeBoolean() ? 1 : data.consumeInt(-3, 8)));
            }
            md.add(new Metadata.Entry(P + "token_type", new MetaValue.Array(MetaType.INT32, types)));
        }
        if (data.consumeBoolean()) {
            int m = data.consumeInt(0, 32);
            List<MetaValue> merges = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                merges.add(MetaValue.text(data.consumeBoolean()
                        ? data.pickValue(PIECES) + " " + data.pickValue(PIECES) : data.consumeString(6)));
            }
            md.add(new Metadata.Entry(P + "merges", new MetaValue.Array(MetaType.STRING, merges)));
        }
        int ids = data.consumeInt(0, 4);
        for (int i = 0; i < ids; i++) {
            String key = P + data.pickValue(ID_KEYS);
            MetaValue v = switch (data.consumeInt(0, 3)) {
                case 0 -> MetaValue.u32(data.consumeLong(0, 0xFFFF_FFFFL));
                case 1 -> MetaValue.i32(data.consumeInt());
                case 2 -> MetaValue.text("1");
                default -> MetaValue.u32(data.consumeInt(0, Math.max(0, n - 1)));
            };
            if (md.stream().noneMatch(e -> e.key().equals(key))) {
                md.add(new Metadata.Entry(key, v));
            }
        }
        for (String flag : FLAGS) {
            if (data.consumeInt(0, 3) == 0) {
                md.add(new Metadata.Entry(P + flag, data.consumeInt(0, 7) != 0
                        ? new MetaValue.Bool(data.consumeBoolean()) : MetaValue.u32(data.consumeInt(0, 2))));
            }
        }
        if (data.consumeBoolean()) {
            md.add(new Metadata.Entry("general.name", MetaValue.text(data.consumeString(12))));
        }
        boolean addSpecial = data.consumeBoolean();
        boolean parseSpecial = data.consumeBoolean();
        boolean asBytes = data.consumeBoolean();
        Tokenizer tok;
        try {
            tok = Tokenizers.fromMetadata(new Metadata(md));
        } catch (QuantException e) {
            return;
        }
        int[] out;
        try {
            out = asBytes ? tok.encodeUtf8(data.consumeRemainingAsBytes(), addSpecial, parseSpecial)
                    : tok.encode(data.consumeRemainingAsString(), addSpecial, parseSpecial);
        } catch (QuantException e) {
            return;
        }
        for (int id : out) {
            if (id < 0 || id >= n) {
                throw new AssertionError("token id " + id + " outside the vocabulary of " + n);
            }
            tok.pieceBytes(id);
        }
    }

    /**
     * A vocabulary-only GGUF claiming 2^62 tokens (or one token of 2^62 bytes) in 64 bytes: refused when the
     * metadata is read, before anything the size of the claim is allocated, so the tokenizer never sees it.
     */
    @Test
    void hugeTokenArrayIsRefusedBeforeAllocation(@TempDir Path dir) throws IOException {
        QuantRegistry registry = QuantRegistry.load(TokenizerFuzzTest.class.getClassLoader());
        long huge = 1L << 62;
        for (boolean hugeString : new boolean[] {false, true}) {
            Path file = dir.resolve(hugeString ? "long-token.gguf" : "many-tokens.gguf");
            ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
            b.put("GGUF".getBytes(StandardCharsets.US_ASCII)).putInt(3).putLong(0).putLong(2);
            key(b, P + "model").putInt(MetaType.STRING.id());
            str(b, "llama");
            key(b, P + "tokens").putInt(MetaType.ARRAY.id()).putInt(MetaType.STRING.id());
            if (hugeString) {
                b.putLong(1).putLong(huge).put((byte) 'a');
            } else {
                b.putLong(huge);
                str(b, "a");
            }
            Files.write(file, java.util.Arrays.copyOf(b.array(), b.position()));
            long before = allocated();
            long t0 = System.nanoTime();
            CorruptFormatException e = assertThrows(CorruptFormatException.class, () -> {
                try (ModelReader r = registry.format("gguf").open(file)) {
                    Tokenizers.fromMetadata(r.metadata());
                }
            });
            long bytes = allocated() - before;
            assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "refused at once");
            assertTrue(bytes < 4 * 1024 * 1024, "allocated " + bytes + " bytes for: " + e.getMessage());
            assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
        }
    }

    /** Tokens and scores of different lengths, and special ids beyond the vocabulary, in the in-memory form. */
    @Test
    void parallelArraysMustAgree() {
        List<MetaValue> tokens = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            tokens.add(MetaValue.text("t" + i));
        }
        Metadata md = new Metadata(List.of(new Metadata.Entry(P + "model", MetaValue.text("llama")),
                new Metadata.Entry(P + "tokens", new MetaValue.Array(MetaType.STRING, tokens)),
                new Metadata.Entry(P + "scores", new MetaValue.Array(MetaType.FLOAT32,
                        List.of(new MetaValue.Real(MetaType.FLOAT32, 0))))));
        long t0 = System.nanoTime();
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizers.fromMetadata(md));
        assertTrue(System.nanoTime() - t0 < 500_000_000L, "refused at once");
        assertTrue(e.getMessage().contains("has 1 entries but tokenizer.ggml.tokens has 100000"), e.getMessage());
    }

    private static ByteBuffer key(ByteBuffer b, String key) {
        return str(b, key);
    }

    private static ByteBuffer str(ByteBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return b.putLong(bytes.length).put(bytes);
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
