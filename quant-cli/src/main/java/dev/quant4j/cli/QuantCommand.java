package dev.quant4j.cli;

import picocli.CommandLine.Command;

/** The top-level {@code quant} command. */
@Command(name = "quant", mixinStandardHelpOptions = true, description = "Post-training quantization of LLM weights.")
final class QuantCommand {
}
