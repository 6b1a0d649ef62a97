package dev.quant4j.eval.imatrix;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.eval.metrics.ChunkListener;
import dev.quant4j.eval.metrics.ChunkPlan;
import dev.quant4j.eval.metrics.PerplexityAccumulator;
import dev.quant4j.eval.metrics.PerplexityResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * llama-imatrix as a library call: merge {@code --in-file} files, optionally collect from a model over a text (with
 * checkpoints and resume), and write the result. {@code quant imatrix} is a thin shell over this.
 *
 * <pre>{@code
 * ImatrixJob.Result r = ImatrixJob.builder(registry).output(Path.of("imatrix.gguf")).chunkSize(512)
 *         .collect(tokens, model, bos, "calibration.txt").build().run();
 * }</pre>
 */
public final class ImatrixJob {
    private final Builder b;

    private ImatrixJob(Builder b) {
        this.b = b;
    }

    public static Builder builder(QuantRegistry registry) {
        return new Builder(registry);
    }

    /**
     * What a job did.
     *
     * @param output       the file written
     * @param entries      weights in the file
     * @param chunkCount   {@code imatrix.chunk_count}
     * @param perplexity   the perplexity of the collected chunks, when computed
     * @param resumedAfter chunks taken from a checkpoint (0 for a fresh run)
     */
    public record Result(Path output, int entries, int chunkCount, Optional<PerplexityResult> perplexity,
                         int resumedAfter) {
    }

    /** The checkpoint file of {@code output}: {@code OUTPUT.checkpoint.gguf}. */
    public static Path checkpointOf(Path output) {
        return output.resolveSibling(output.getFileName() + ".checkpoint.gguf");
    }

    public Result run() throws IOException {
        Imatrix imatrix = new Imatrix(b.chunkSize);
        Optional<PerplexityResult> ppl = Optional.empty();
        int resumedAfter = 0;
        if (!b.resume) {
            for (Path in : b.inFiles) {
                imatrix.merge(ImatrixFiles.load(in, b.registry));
            }
        }
        if (b.model != null) {
            ChunkPlan plan = ChunkPlan.of(b.tokens.length, b.chunkSize, b.maxChunks);
            long fingerprint = ImatrixCheckpoint.fingerprint(b.tokens, b.chunkSize, plan.chunks(), b.processOutput,
                    b.perplexity, b.inFiles.stream().map(Path::toString).toList());
            Path checkpoint = checkpointOf(b.output);
            PerplexityAccumulator.State ppl0 = PerplexityAccumulator.State.EMPTY;
            if (b.resume) {
                if (!Files.exists(checkpoint)) {
                    throw new QuantException(ErrorCode.INVALID_OPTION, "--resume: no checkpoint " + checkpoint);
                }
                ImatrixCheckpoint cp = ImatrixCheckpoint.read(checkpoint, b.registry);
                if (cp.fingerprint() != fingerprint) {
                    throw new QuantException(ErrorCode.INVALID_OPTION, "--resume: " + checkpoint + " was made with"
                            + " another text, -c, --chunks, --in-file or --process-output/--no-ppl setting");
                }
                imatrix = cp.restore(b.chunkSize);
                resumedAfter = cp.chunksDone();
                ppl0 = cp.perplexity();
            }
            imatrix.promptFile(b.promptName);
            Imatrix target = imatrix;
            ImatrixRun run = new ImatrixRun(plan, b.bos, b.perplexity, b.listener);
            ppl = run.run(b.tokens, b.model, new ImatrixCollector(target, b.processOutput), resumedAfter, ppl0,
                    b.checkpointEvery, (done, p) -> ImatrixCheckpoint.write(target, done, p, fingerprint, checkpoint,
                            b.registry));
        }
        ImatrixFiles.save(imatrix, b.output, b.format, b.registry);
        Files.deleteIfExists(checkpointOf(b.output));
        return new Result(b.output, imatrix.view().size(), imatrix.chunkCount(), ppl, resumedAfter);
    }

    /** Options with llama-imatrix's defaults: output {@code imatrix.gguf}, GGUF, chunk size 512, all chunks. */
    public static final class Builder {
        private final QuantRegistry registry;
        private Path output = Path.of("imatrix.gguf");
        private ImatrixFiles.Format format = ImatrixFiles.Format.GGUF;
        private int chunkSize = 512;
        private int maxChunks = -1;
        private boolean processOutput;
        private boolean perplexity = true;
        private final List<Path> inFiles = new ArrayList<>();
        private int[] tokens;
        private ActivationSource model;
        private int bos = -1;
        private String promptName = "";
        private int checkpointEvery;
        private boolean resume;
        private ChunkListener listener = ChunkListener.NONE;

        private Builder(QuantRegistry registry) {
            this.registry = Objects.requireNonNull(registry);
        }

        public Builder output(Path file) {
            this.output = Objects.requireNonNull(file);
            return this;
        }

        public Builder format(ImatrixFiles.Format f) {
            this.format = Objects.requireNonNull(f);
            return this;
        }

        /** Tokens per chunk ({@code -c}); also the scale of legacy input files. */
        public Builder chunkSize(int n) {
            this.chunkSize = n;
            return this;
        }

        /** At most this many chunks ({@code --chunks}); negative for all. */
        public Builder maxChunks(int n) {
            this.maxChunks = n;
            return this;
        }

        public Builder processOutput(boolean on) {
            this.processOutput = on;
            return this;
        }

        /** Whether to compute the perplexity of the chunks (llama-imatrix's default; {@code --no-ppl} turns it off). */
        public Builder perplexity(boolean on) {
            this.perplexity = on;
            return this;
        }

        public Builder inFile(Path file) {
            inFiles.add(Objects.requireNonNull(file));
            return this;
        }

        /**
         * Collect from {@code model} over {@code tokens} (the tokenized text, BOS included).
         *
         * @param bos        BOS put first in every chunk, -1 when the vocabulary adds none
         * @param promptName the text file as named by the user, recorded as the dataset
         */
        public Builder collect(int[] tokens, ActivationSource model, int bos, String promptName) {
            this.tokens = tokens.clone();
            this.model = Objects.requireNonNull(model);
            this.bos = bos;
            this.promptName = Objects.requireNonNull(promptName);
            return this;
        }

        /** Write a checkpoint every {@code n} chunks (0: never). */
        public Builder checkpointEvery(int n) {
            this.checkpointEvery = n;
            return this;
        }

        /** Continue from the output's checkpoint; the merged input files are in it already. */
        public Builder resume(boolean on) {
            this.resume = on;
            return this;
        }

        public Builder listener(ChunkListener l) {
            this.listener = Objects.requireNonNull(l);
            return this;
        }

        public ImatrixJob build() {
            if (model == null && inFiles.isEmpty()) {
                throw new QuantException(ErrorCode.INVALID_OPTION, "no text (-f) and no --in-file to combine: nothing to do");
            }
            if (resume && model == null) {
                throw new QuantException(ErrorCode.INVALID_OPTION, "--resume continues a collection: give -m and -f as before");
            }
            if (checkpointEvery < 0) {
                throw new QuantException(ErrorCode.INVALID_OPTION, "checkpoint interval " + checkpointEvery + " is negative");
            }
            new Imatrix(chunkSize); // validates the chunk size
            return new ImatrixJob(this);
        }
    }
}
