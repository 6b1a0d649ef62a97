package dev.quant4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top-level {@code quant} command. */
@Command(name = "quant", mixinStandardHelpOptions = true, versionProvider = QuantCommand.Version.class,
        description = "Post-training quantization of LLM weights: GGUF files byte-identical to llama.cpp's quantizers.",
        footer = {"", ExitCodes.HELP, "", "Logs go to stderr (quiet by default), results to stdout."})
final class QuantCommand {
    /**
     * The subcommands' names, in help order. Main registers only the one a command line names (building every
     * subcommand's model by reflection cost more start-up than anything else), or all of them for help and errors.
     */
    static final java.util.List<String> SUBCOMMANDS = java.util.List.of("plugins", "inspect", "quantize", "report",
            "transform", "convert", "tokenize", "generate", "imatrix", "superweights", "perplexity", "kld", "demo");

    /** A new instance of subcommand {@code name} (a switch, not lambdas: no classes spun at start-up). */
    static Object subcommand(String name) {
        return switch (name) {
            case "plugins" -> new PluginsCommand();
            case "inspect" -> new InspectCommand();
            case "quantize" -> new QuantizeCommand();
            case "report" -> new ReportCommand();
            case "transform" -> new TransformCommand();
            case "convert" -> new ConvertCommand();
            case "tokenize" -> new TokenizeCommand();
            case "generate" -> new GenerateCommand();
            case "imatrix" -> new ImatrixCommand();
            case "superweights" -> new SuperWeightsCommand();
            case "perplexity" -> new PerplexityCommand();
            case "kld" -> new KldCommand();
            case "demo" -> new DemoCommand();
            default -> throw new IllegalArgumentException("no subcommand " + name);
        };
    }

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "More log output on stderr: -v for progress details, -vv for debug and stack traces.")
    boolean[] verbose;

    /** Reads the version from the jar manifest. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = QuantCommand.class.getPackage().getImplementationVersion();
            return new String[] {"quant4j " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")",
                "Commands that compute much print the JVM's 'WARNING: Using incubator modules: jdk.incubator.vector'",
                "first: expected, their kernels use the Vector API (same bytes without it, slower)."};
        }
    }
}
