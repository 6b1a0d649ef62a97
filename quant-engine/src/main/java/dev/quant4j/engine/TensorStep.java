package dev.quant4j.engine;

import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.TensorPlan;
import dev.quant4j.api.tensor.TensorActivationStats;
import dev.quant4j.api.tensor.TensorInfo;

/**
 * One tensor's resolved work: its source, its plan, the quantizer that writes it (null to copy), the
 * dequantizer of a quantized source (null for float sources), importance statistics, output size, and
 * what the quantizer's descriptor declares (row independence, dequantization).
 */
record TensorStep(TensorInfo source, TensorPlan plan, Quantizer quantizer, Quantizer sourceDecoder,
                  TensorActivationStats importance, long outputBytes, boolean rowIndependent,
                  boolean dequantizes) {
    boolean isCopy() {
        return quantizer == null;
    }
}
