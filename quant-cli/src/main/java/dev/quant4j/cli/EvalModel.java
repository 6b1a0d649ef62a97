package dev.quant4j.cli;

import dev.quant4j.eval.imatrix.ActivationSource;
import dev.quant4j.eval.metrics.LogitsSource;
import dev.quant4j.eval.tokenizer.Tokenizer;
import java.io.Closeable;

/** A model opened for evaluation: what {@code quant perplexity}, {@code kld} and {@code imatrix} need from it. */
interface EvalModel extends Closeable {
    Tokenizer tokenizer();

    /** Logits of independent sequences (perplexity, KL divergence). */
    LogitsSource logits();

    /** The forward pass with an activation observer (imatrix). */
    ActivationSource activations();

    /** BOS put first in every chunk: the vocabulary's BOS when it adds one, else -1 (llama.cpp's add_bos rule). */
    default int chunkBos() {
        return tokenizer().addsBos() ? tokenizer().bos() : -1;
    }
}
