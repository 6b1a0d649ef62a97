package dev.quant4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top-level {@code quant} command. */
@Command(name = "quant", mixinStandardHelpOptions = true, versionProvider = QuantCommand.Version.class,
        description = "Post-training quantization of LLM weights: GGUF files byte-identical to llama.cpp's quantizers.",
        subcommands = {
            PluginsCommand.class,
            InspectCommand.class,
            QuantizeCommand.class,
            ReportCommand.class,
            TransformCommand.class,
            ConvertCommand.class,
            TokenizeCommand.class,
            GenerateCommand.class,
            ImatrixCommand.class,
            SuperWeightsCommand.class,
            PerplexityCommand.class,
            KldCommand.class,
            DemoCommand.class},
        footer = {"", ExitCodes.HELP, "", "Logs go to stderr (quiet by default), results to stdout."})
final class QuantCommand {
    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "More log output on stderr: -v for progress details, -vv for debug and stack traces.")
    boolean[] verbose;

    /** Reads the version from the jar manifest. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = QuantCommand.class.getPackage().getImplementationVersion();
            return new String[] {"quant4j " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")",
                "The JVM's 'WARNING: Using incubator modules: jdk.incubator.vector' line is expected: the scale",
                "searches use the Vector API (same bytes without it, slower). The JVM prints it unconditionally."};
        }
    }
}
