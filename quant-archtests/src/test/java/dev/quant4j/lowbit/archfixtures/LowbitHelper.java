package dev.quant4j.lowbit.archfixtures;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.Half;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Obeys rule 2: a plugin class using quant-api, quant-kernels and SLF4J only. */
public final class LowbitHelper {
    private static final Logger LOG = LoggerFactory.getLogger(LowbitHelper.class);

    public float half(short bits, DType type) {
        LOG.debug("decoding {}", type);
        return Half.f32(bits);
    }
}
