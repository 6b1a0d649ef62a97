package dev.quant4j.cli;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.engine.FileTypes;
import dev.quant4j.engine.QuantizeJob;
import dev.quant4j.engine.QuantizeReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code quant convert}: a Hugging Face checkpoint to GGUF at F32, F16 or BF16, as convert_hf_to_gguf.py does it.
 * The same streaming job as {@code quant quantize} with a float target type: the safetensors format presents the
 * directory as a GGUF model, the llama-cpp planner keeps norms F32 and casts the matrices.
 */
@Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Converts a Hugging Face model directory to GGUF (like convert_hf_to_gguf.py).",
        description = {
            "Reads INPUT (a Hugging Face directory: config.json, *.safetensors, tokenizer files) and writes",
            "OUTPUT.gguf with llama.cpp's tensor names, metadata and tokenizer, tensors byte-identical to",
            "convert_hf_to_gguf.py --outtype OUTTYPE. To quantize in the same pass, use",
            "'quant quantize INPUT OUTPUT.gguf TYPE' directly."},
        footer = {"", "Example:", "  quant convert ./Llama-3.2-1B ./llama-3.2-1b-f16.gguf --outtype f16"})
final class ConvertCommand implements Callable<Integer> {
    private static final Set<String> OUTTYPES = Set.of("f32", "f16", "bf16");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INPUT", description = "Hugging Face model directory (or safetensors file).")
    Path input;

    @Parameters(index = "1", paramLabel = "OUTPUT", description = "The GGUF file to write.")
    Path output;

    @Option(names = "--outtype", paramLabel = "TYPE", defaultValue = "f16",
            description = "f32, f16 or bf16 for the matrices; 1-D tensors and norms stay f32 (default: ${DEFAULT-VALUE}).")
    String outtype;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        String type = outtype.toLowerCase(Locale.ROOT);
        if (!OUTTYPES.contains(type)) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "--outtype " + outtype + ": expected one of f32, f16, bf16");
        }
        var registry = Registries.load();
        String ftype = type.toUpperCase(Locale.ROOT);
        QuantizeJob job = QuantizeJob.builder(registry)
                .input(input)
                .output(output)
                .planner(FileTypes.plannerFor(registry, ftype), new LinkedHashMap<>(FileTypes.plannerOptions(registry, ftype)))
                .threads(threads == null ? 0 : threads)
                .measureError(false)
                .listener(new ProgressPrinter(spec.commandLine().getErr(), ProgressPrinter.stderrIsTerminal(),
                        ProgressPrinter.level(quiet)))
                .build();
        QuantizeReport r = JobRunner.run(job, spec.commandLine().getErr());
        PrintWriter out = spec.commandLine().getOut();
        Summary.totals(r, out);
        out.flush();
        return ExitCodes.OK;
    }
}
