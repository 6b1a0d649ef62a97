package dev.quant4j.kernels.archfixtures;

import dev.quant4j.api.tensor.DType;

/** Violates the kernels' JDK-only rule: numeric code that depends on quant-api. */
public final class KernelUsingApi {
    public int blockOf(DType t) {
        return t.blockSize();
    }
}
