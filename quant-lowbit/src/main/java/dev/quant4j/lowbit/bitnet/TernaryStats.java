package dev.quant4j.lowbit.bitnet;

/**
 * What ternarisation did to one tensor.
 *
 * @param elements weights measured
 * @param sparsity fraction of weights whose ternary level is 0
 * @param rmse     root mean square of {@code w - q * f32(fp16(gamma))}, the values llama.cpp computes with
 *                 (squares summed in double)
 */
public record TernaryStats(long elements, double sparsity, double rmse) {
}
