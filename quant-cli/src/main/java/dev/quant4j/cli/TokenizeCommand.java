package dev.quant4j.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ProviderKind;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.eval.tokenizer.Tokenizer;
import dev.quant4j.eval.tokenizer.TokenizerException;
import dev.quant4j.eval.tokenizer.Tokenizers;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quant tokenize}: llama-tokenize on quant4j's tokenizers. Reads only the model's metadata, so a
 * vocabulary-only GGUF works; output is formatted as llama-tokenize formats it.
 */
@Command(name = "tokenize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Tokenizes text with a model's own tokenizer (tokenizer.ggml.* metadata), as llama.cpp's "
            + "llama-tokenize does: a line \"id -> 'piece'\" per token, or --ids for a [1, 2, 3] list."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:tokenized", "1:an internal error", "2:invalid command line",
            "3:the model is not readable, or its tokenizer is unsupported or malformed",
            "4:a file could not be read"})
final class TokenizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Standard input, replaceable in tests. */
    InputStream stdin = System.in;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL",
            description = "A GGUF file with tokenizer metadata (a vocabulary-only file is enough).")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", description = "The text to tokenize.")
        String prompt;

        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Tokenize this file, read verbatim.")
        Path file;

        @Option(names = "--stdin", description = "Tokenize standard input.")
        boolean stdin;
    }

    @Option(names = "--ids", description = "Print only the ids, as a Python-style list [1, 2, 3].")
    boolean ids;

    @Option(names = "--no-bos", description = "Do not add BOS even when the vocabulary asks for it.")
    boolean noBos;

    @Option(names = "--no-parse-special",
            description = "Treat special tokens written in the text (e.g. <s>) as plain text.")
    boolean noParseSpecial;

    @Option(names = "--no-escape",
            description = "Do not process escapes (\\n, \\t, \\xHH, ...) in the text; llama-tokenize processes them.")
    boolean noEscape;

    @Option(names = "--show-count", description = "Print the number of tokens at the end.")
    boolean showCount;

    @Option(names = "--json", description = "Print {\"count\": N, \"ids\": [...], \"pieces\": [...]} instead.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Tokenizer tokenizer;
        try {
            Optional<Tokenizer> t = load(err);
            if (t.isEmpty()) {
                return ExitCodes.BAD_INPUT;
            }
            tokenizer = t.get();
        } catch (NoSuchFileException e) {
            return fail(err, ExitCodes.IO, model + ": no such file");
        } catch (CorruptFormatException e) {
            return fail(err, ExitCodes.BAD_INPUT, e.getMessage());
        } catch (TokenizerException e) {
            return fail(err, ExitCodes.BAD_INPUT, model + ": " + e.getMessage());
        } catch (IOException e) {
            return fail(err, ExitCodes.IO, model + ": " + e.getMessage());
        }
        byte[] text;
        try {
            text = text();
        } catch (NoSuchFileException e) {
            return fail(err, ExitCodes.IO, e.getFile() + ": no such file");
        } catch (IOException e) {
            return fail(err, ExitCodes.IO, "reading the text: " + e.getMessage());
        }
        boolean addBos = tokenizer.addsBos() && !noBos;
        int[] tokens;
        try {
            tokens = tokenizer.encodeUtf8(noEscape ? text : Escapes.process(text), addBos, !noParseSpecial);
        } catch (IllegalArgumentException | TokenizerException e) { // text this vocabulary cannot encode
            return fail(err, ExitCodes.BAD_INPUT, e.getMessage());
        }
        if (json) {
            writeJson(out, tokenizer, tokens);
        } else if (ids) {
            StringBuilder b = new StringBuilder(tokens.length * 6 + 3).append('[');
            for (int i = 0; i < tokens.length; i++) {
                b.append(i > 0 ? ", " : "").append(tokens[i]);
            }
            out.print(b.append("]\n"));
        } else {
            for (int id : tokens) {
                out.print(line(id, tokenizer.pieceBytes(id)));
            }
        }
        if (showCount && !json) {
            out.print("Total number of tokens: " + tokens.length + "\n");
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The tokenizer, or empty after reporting a file no installed format reads. */
    private Optional<Tokenizer> load(PrintWriter err) throws IOException {
        QuantRegistry registry = Registries.load();
        Optional<FormatProvider> format = registry.formatFor(model);
        if (format.isEmpty()) {
            if (!Files.exists(model)) {
                throw new NoSuchFileException(model.toString());
            }
            fail(err, ExitCodes.BAD_INPUT, model + ": not a model file any installed format reads (formats: "
                    + String.join(", ", registry.names(ProviderKind.FORMAT)) + ")");
            return Optional.empty();
        }
        Metadata metadata;
        try (ModelReader reader = format.get().open(model)) {
            metadata = reader.metadata();
        }
        return Optional.of(Tokenizers.fromMetadata(metadata));
    }

    private byte[] text() throws IOException {
        if (source.stdin) {
            return stdin.readAllBytes();
        }
        if (source.file != null) {
            return Files.readAllBytes(source.file);
        }
        return source.prompt.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code "%6d -> '%s'"}; a piece that is not valid UTF-8 shows its bytes in hex, as llama-tokenize on Windows. */
    static String line(int id, byte[] piece) {
        Optional<String> s = utf8(piece);
        if (s.isPresent()) {
            return String.format(Locale.ROOT, "%6d -> '%s'", id, s.get()) + "\n";
        }
        StringBuilder hex = new StringBuilder("<");
        for (int i = 0; i < piece.length; i++) {
            hex.append(i > 0 ? " " : "").append(String.format(Locale.ROOT, "%02x", piece[i] & 0xFF));
        }
        return String.format(Locale.ROOT, "%6d -> '%s>' (utf-8 decode failure)", id, hex) + "\n";
    }

    private static Optional<String> utf8(byte[] b) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static void writeJson(PrintWriter out, Tokenizer tokenizer, int[] tokens) throws IOException {
        try (JsonGenerator g = JsonFactory.builder().build().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeNumberField("count", tokens.length);
            g.writeArrayFieldStart("ids");
            for (int id : tokens) {
                g.writeNumber(id);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("pieces");
            for (int id : tokens) {
                g.writeString(new String(tokenizer.pieceBytes(id), StandardCharsets.UTF_8));
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out.print("\n");
    }

    private static int fail(PrintWriter err, int code, String message) {
        err.println("quant tokenize: " + message);
        err.flush();
        return code;
    }
}
