package dev.quant4j.safetensors.ct;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import java.util.function.Supplier;

/** One source tensor under its Hugging Face name (HF layout), opened only when it is written. */
public record CtInput(String name, DType type, Shape shape, Supplier<TensorView> view) {
}
