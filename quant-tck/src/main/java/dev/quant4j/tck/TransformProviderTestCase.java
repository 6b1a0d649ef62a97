package dev.quant4j.tck;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.ProviderKind;
import dev.quant4j.api.spi.TransformInput;
import dev.quant4j.api.spi.TransformProvider;
import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Conformance of a {@link TransformProvider}: the common provider checks, declared statistics, and a clear
 * {@link QuantException} (never another exception) for a model without an architecture.
 *
 * <pre>{@code
 * class MyTransformTest extends TransformProviderTestCase<MyTransformProvider> {
 *     @Override protected MyTransformProvider provider() { return new MyTransformProvider(); }
 * }
 * }</pre>
 */
public abstract class TransformProviderTestCase<P extends TransformProvider<?>> extends ProviderTestCase<P> {
    @Override
    final ProviderKind expectedKind() {
        return ProviderKind.TRANSFORM;
    }

    @Test
    public final void declaresItsStatistics() {
        assertNotNull(needs((TransformProvider<?>) provider()), "needs(defaultOptions()) must not be null");
    }

    @Test
    public final void aModelWithoutArchitectureIsRefusedClearly() {
        TransformInput empty = new TransformInput() {
            @Override
            public Metadata metadata() {
                return Metadata.empty();
            }

            @Override
            public List<TensorInfo> tensors() {
                return List.of();
            }

            @Override
            public TensorView view(String name) {
                throw new IllegalArgumentException("no tensor '" + name + "'");
            }

            @Override
            public Map<String, ChannelStats> stats() {
                return Map.of();
            }
        };
        assertThrows(QuantException.class, () -> create((TransformProvider<?>) provider()).apply(empty));
    }

    private static <O extends Record> java.util.Set<?> needs(TransformProvider<O> p) {
        return p.needs(p.defaultOptions());
    }

    private static <O extends Record> dev.quant4j.api.spi.Transform create(TransformProvider<O> p) {
        return p.create(p.defaultOptions());
    }
}
