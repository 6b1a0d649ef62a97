package dev.quant4j.cli;

import dev.quant4j.eval.transform.TransformJob;
import dev.quant4j.eval.transform.TransformTargets;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code quant transform IN OUT NAME[:k=v,...]...}: writes the equivalent float model. */
@Command(name = "transform", mixinStandardHelpOptions = true,
        header = "Writes an equivalent float model with transforms applied (e.g. smoothquant).",
        description = {"Transforms run in order on the float model; changed tensors are written as F32, the rest",
            "byte for byte. Statistics come from a forward pass over --calibration TEXT (in passes within",
            "--calibration-memory; --save-calibration FILE keeps them) or from a saved statistics file given as",
            "--calibration FILE. With --imatrix the importance",
            "matrix is rescaled for the transformed inputs and written to --imatrix-out. See docs/transforms.md."},
        footer = {"", "Example:", "  quant transform model-f16.gguf model-sq.gguf smoothquant:alpha=0.5 --calibration train.txt"})
final class TransformCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "Input model (float weights).")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output model.")
    Path output;

    @Parameters(index = "2..*", arity = "1..*", paramLabel = "NAME[:k=v,...]", description = "Transforms, in order.")
    List<String> transforms;

    @Mixin
    TransformOptions calibration;

    @Option(names = "--imatrix", paramLabel = "FILE", description = "Imatrix of the input model to rescale.")
    Path imatrix;

    @Option(names = "--imatrix-out", paramLabel = "FILE", description = "Where to write the rescaled imatrix.")
    Path imatrixOut;

    @Option(names = "--target", paramLabel = "TYPE", description = {"The type the model will be quantized to",
        "(e.g. Q4_K_M), for transforms that search against its quantizers (awq); with --imatrix it is planned",
        "as imatrix-weighted."})
    String target;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Threads (default: all cores).")
    int threads;

    @Override
    public Integer call() throws IOException {
        if ((imatrix == null) != (imatrixOut == null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give --imatrix and --imatrix-out together");
        }
        PrintWriter out = spec.commandLine().getOut();
        var registry = Registries.load();
        TransformTargets targets = target == null ? TransformTargets.none()
                : UnknownType.explain(registry, target, () -> PlannedTargets.of(registry, input,
                        dev.quant4j.engine.FileTypes.plannerFor(registry, target),
                        dev.quant4j.engine.FileTypes.plannerOptions(registry, target), imatrix, threads));
        TransformJob.Result r = calibration.job(input, output, transforms, imatrix, imatrixOut, threads, targets)
                .run(registry);
        out.println("transformed " + r.replacedTensors() + " tensors (statistics for " + r.calibrationTensors()
                + " weights" + (r.calibrationPasses() > 1 ? ", " + r.calibrationPasses() + " calibration passes" : "")
                + ") -> " + r.output());
        if (imatrixOut != null) {
            out.println("imatrix     " + r.rescaledImatrixEntries() + (r.imatrixRecollected()
                    ? " entries collected again on the transformed model (its inputs are rotated) -> "
                    : " entries rescaled -> ") + imatrixOut);
        }
        out.flush();
        return ExitCodes.OK;
    }
}
