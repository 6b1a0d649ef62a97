package dev.quant4j.safetensors.ct;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import java.lang.foreign.MemorySegment;

/** One output tensor of a compressed module: name, element type, ggml-order shape, bytes. */
public record CtTensor(String name, DType type, Shape shape, MemorySegment data) {
}
