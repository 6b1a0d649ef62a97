/**
 * llama.cpp importance matrices: the {@code imatrix} calibrator reading GGUF and legacy {@code .dat} files and
 * accumulating activation statistics. Entry point {@link dev.quant4j.importance.imatrix.ImatrixCalibratorProvider}.
 */
package dev.quant4j.importance.imatrix;
