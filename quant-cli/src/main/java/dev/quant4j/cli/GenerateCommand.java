package dev.quant4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.eval.generate.Generation;
import dev.quant4j.eval.generate.Sampler;
import dev.quant4j.eval.model.KvPrecision;
import dev.quant4j.eval.model.ModelRunner;
import dev.quant4j.eval.model.RunOptions;
import dev.quant4j.eval.tokenizer.Tokenizer;
import dev.quant4j.eval.tokenizer.Tokenizers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quant generate -m MODEL -p PROMPT -n N}: llama-completion's text with {@code --temp 0} (greedy): the
 * prompt as detokenized, each generated piece as soon as it is chosen, then an empty line.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Generates text from a prompt (llama-completion compatible; greedy by default).",
        description = {"Runs the model in the JVM: the prompt as one batch, then one token at a time through the",
            "K/V cache. Prints the prompt and the generated text like llama-completion -no-cnv --temp 0."})
public final class GenerateCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(GenerateCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE", description = "The model (.gguf).")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Prompt prompt;

    static final class Prompt {
        @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT",
                description = "The prompt text (BOS is added as the vocabulary asks).")
        String text;

        @Option(names = "--ids", split = ",", paramLabel = "ID",
                description = "The prompt as token ids, e.g. 1,403,407 (BOS included if wanted).")
        int[] ids;
    }

    @Option(names = {"-n", "--n-predict"}, paramLabel = "N", defaultValue = "128",
            description = "Tokens to generate (default ${DEFAULT-VALUE}); stops early at end of sequence.")
    int count;

    @Option(names = "--temp", paramLabel = "T", defaultValue = "0",
            description = "Sampling temperature; 0 = greedy (default).")
    double temperature;

    @Option(names = {"-s", "--seed"}, paramLabel = "SEED", defaultValue = "0",
            description = "Random seed when --temp > 0.")
    long seed;

    @Option(names = {"-t", "--threads"}, paramLabel = "N",
            description = "Worker threads (default: available processors).")
    Integer threads;

    @Option(names = {"-c", "--ctx-size"}, paramLabel = "N", defaultValue = "0",
            description = "K/V cache positions (default: the model's context length).")
    int context;

    @Option(names = "--f16-emulation", description = "Round K/V and F16-matmul activations to F16 as llama.cpp does.")
    boolean f16;

    @Option(names = "--json", description = "Print one JSON object (ids, text, timings) instead of the text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        RunOptions options = RunOptions.defaults().withMaxContext(context);
        if (threads != null) {
            options = options.withThreads(threads);
        }
        if (f16) {
            options = options.withKvPrecision(KvPrecision.F16).withF16Activations(true);
        }
        if (count < 0) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "-n must be 0 or more, got " + count);
        }
        try (ModelRunner runner = ModelRunner.open(model, Registries.load(), options)) {
            Tokenizer tokenizer = Tokenizers.fromMetadata(runner.metadata());
            // llama-completion: add_special (BOS when the vocabulary adds it) and parse_special
            int[] ids = prompt.ids != null ? prompt.ids : tokenizer.encode(prompt.text, true, true);
            if (ids.length == 0) {
                throw new QuantException(ErrorCode.INVALID_OPTION, "the prompt has no tokens");
            }
            Pieces pieces = new Pieces(tokenizer);
            int eos = tokenizer.eos();
            Sampler sampler = Sampler.temperature(temperature, seed);
            Utf8Printer printer = new Utf8Printer(out);
            if (!json) {
                for (int id : ids) {
                    printer.write(pieces.bytes(id));
                }
                out.flush();
            }
            Generation.Result r = Generation.run(runner, ids, count, eos, sampler, id -> {
                if (!json) {
                    printer.write(pieces.bytes(id));
                    out.flush();
                }
            });
            LOG.info("prompt {} tokens in {} s ({} tokens/s); generated {} tokens in {} s ({} tokens/s)",
                    r.prompt().length, String.format("%.3f", r.promptSeconds()),
                    String.format("%.1f", r.prompt().length / Math.max(r.promptSeconds(), 1e-9)), r.generated().length,
                    String.format("%.3f", r.generateSeconds()),
                    String.format("%.1f", r.generated().length / Math.max(r.generateSeconds(), 1e-9)));
            if (json) {
                printJson(out, r, pieces);
            } else {
                printer.finish();
                out.print("\n\n");
            }
            out.flush();
        }
        return ExitCodes.OK;
    }

    private void printJson(PrintWriter out, Generation.Result r, Pieces pieces) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model.toString());
        m.put("prompt_ids", r.prompt());
        m.put("prompt_text", pieces.text(r.prompt()));
        m.put("ids", r.generated());
        m.put("text", pieces.text(r.generated()));
        m.put("stopped_at_eos", r.stoppedAtEos());
        m.put("temperature", temperature);
        m.put("prompt_seconds", r.promptSeconds());
        m.put("generate_seconds", r.generateSeconds());
        m.put("prompt_tokens_per_second", r.prompt().length / Math.max(r.promptSeconds(), 1e-9));
        m.put("generate_tokens_per_second", r.generated().length / Math.max(r.generateSeconds(), 1e-9));
        out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
    }

    /** Token ids to the bytes llama-completion prints: {@code llama_token_to_piece} without specials. */
    record Pieces(Tokenizer tokenizer) {
        byte[] bytes(int id) {
            return tokenizer.pieceBytes(id, false);
        }

        String text(int... ids) {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            for (int id : ids) {
                b.writeBytes(bytes(id));
            }
            return b.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** Writes UTF-8 byte pieces as text, holding back an incomplete multi-byte character until it completes. */
    static final class Utf8Printer {
        private final PrintWriter out;
        private byte[] pending = new byte[0];

        Utf8Printer(PrintWriter out) {
            this.out = out;
        }

        void write(byte[] piece) {
            byte[] all = Arrays.copyOf(pending, pending.length + piece.length);
            System.arraycopy(piece, 0, all, pending.length, piece.length);
            int complete = completePrefix(all);
            out.print(new String(all, 0, complete, java.nio.charset.StandardCharsets.UTF_8));
            pending = Arrays.copyOfRange(all, complete, all.length);
        }

        void finish() {
            if (pending.length > 0) {
                out.print(new String(pending, java.nio.charset.StandardCharsets.UTF_8));
                pending = new byte[0];
            }
        }

        /** Length of the prefix that ends on a character boundary (an unfinished trailing sequence is held). */
        static int completePrefix(byte[] b) {
            for (int back = 1; back <= Math.min(3, b.length); back++) {
                int lead = b[b.length - back] & 0xFF;
                if ((lead & 0xC0) == 0x80) {
                    continue; // continuation byte: look further back for the lead
                }
                int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
                return need > back ? b.length - back : b.length;
            }
            return b.length;
        }
    }
}
