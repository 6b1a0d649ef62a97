package dev.quant4j.eval.model;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.io.FileRegion;
import dev.quant4j.api.io.RegionReader;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.registry.RegistryEntry;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ProviderKind;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The model's tensors by name, with shape checks that name the tensor, decoders from the registry, and the files
 * the matmuls read their tiles from (closed with {@link #close}).
 */
final class Weights implements Closeable {
    private final ModelReader reader;
    private final RegionReader files = new RegionReader();
    private final boolean readTiles;
    private final QuantRegistry registry;
    private final Map<String, TensorInfo> byName = new LinkedHashMap<>();
    private final Map<DType, Quantizer> decoders = new EnumMap<>(DType.class);

    Weights(ModelReader reader, QuantRegistry registry) {
        this(reader, registry, RegionReader.PREFERRED);
    }

    /** @param readTiles whether matmul tiles are read from the file where the reader says where a tensor lies */
    Weights(ModelReader reader, QuantRegistry registry, boolean readTiles) {
        this.reader = reader;
        this.readTiles = readTiles;
        this.registry = registry;
        for (TensorInfo t : reader.tensors()) {
            byName.put(t.name(), t);
        }
    }

    boolean has(String name) {
        return byName.containsKey(name);
    }

    /** A 2-D weight {@code [cols, rows]} in ggml order; {@code rows} &lt; 0 accepts any row count. */
    Matrix matrix(String name, int cols, int rows) {
        TensorInfo t = require(name);
        Shape s = t.shape();
        if (s.rank() > 2 || s.ne(0) != cols || (rows >= 0 && s.ne(1) != rows)) {
            throw shape(t, cols + "x" + (rows < 0 ? "any" : rows));
        }
        return matrix(t, view(t), decoder(t), -1, Math.toIntExact(s.ne(1)));
    }

    /** Expert {@code e}'s slice of a 3-D {@code [cols, rows, experts]} weight. */
    Matrix[] experts(String name, int cols, int rows, int experts) {
        TensorInfo t = require(name);
        Shape s = t.shape();
        if (s.rank() != 3 || s.ne(0) != cols || (rows >= 0 && s.ne(1) != rows) || s.ne(2) != experts) {
            throw shape(t, cols + "x" + (rows < 0 ? "any" : rows) + "x" + experts);
        }
        TensorView v = view(t);
        Quantizer d = decoder(t);
        Matrix[] out = new Matrix[experts];
        for (int e = 0; e < experts; e++) {
            out[e] = matrix(t, v, d, e, Math.toIntExact(s.ne(1)));
        }
        return out;
    }

    /** Any tensor as rows of its row length (the experts of a 3-D tensor one after another). */
    Matrix rows(String name) {
        TensorInfo t = require(name);
        return matrix(t, view(t), decoder(t), -1, Math.toIntExact(t.shape().elementCount() / t.shape().rowLength()));
    }

    /** A small 1-D tensor (norm weights, biases) copied to the heap as floats. */
    float[] vector(String name, int length) {
        TensorInfo t = require(name);
        if (t.shape().elementCount() != length || t.shape().ne(0) != length) {
            throw shape(t, String.valueOf(length));
        }
        float[] out = new float[length];
        new Matrix(view(t), decoder(t), -1, 1).read(0, 1, out);
        return out;
    }

    private Matrix matrix(TensorInfo t, TensorView v, Quantizer decoder, int expert, int rows) {
        FileRegion region = readTiles ? reader.fileRegion(t).orElse(null) : null;
        return new Matrix(v, decoder, expert, rows, region, files);
    }

    private TensorInfo require(String name) {
        TensorInfo t = byName.get(name);
        if (t == null) {
            throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, reader.path() + ": tensor '" + name
                    + "' is missing (the architecture needs it)");
        }
        return t;
    }

    private QuantException shape(TensorInfo t, String expected) {
        return new QuantException(ErrorCode.UNSUPPORTED_SHAPE, reader.path() + ": tensor '" + t.name()
                + "' has shape " + t.shape() + ", expected " + expected + " from the model's hyperparameters");
    }

    private TensorView view(TensorInfo t) {
        try {
            return reader.view(t);
        } catch (IOException e) {
            throw new UncheckedIOException(reader.path() + ": cannot map tensor '" + t.name() + "'", e);
        }
    }

    private Quantizer decoder(TensorInfo t) {
        DType type = t.type();
        if (type == DType.F32 || type == DType.F16 || type == DType.BF16) {
            return null;
        }
        return decoders.computeIfAbsent(type, k -> {
            String name = k.lowerName();
            RegistryEntry e = registry.find(ProviderKind.QUANTIZER, name).orElseThrow(() -> new QuantException(
                    ErrorCode.UNSUPPORTED_TYPE, "tensor '" + t.name() + "' is " + name
                    + " and no installed quantizer can dequantize " + name));
            if (!e.descriptor().has(Capability.DEQUANTIZE)) {
                throw new QuantException(ErrorCode.UNSUPPORTED_TYPE, "tensor '" + t.name() + "' is " + name
                        + " and quantizer '" + name + "' cannot dequantize");
            }
            return create((QuantizerProvider<?>) e.provider());
        });
    }

    private static <O extends Record> Quantizer create(QuantizerProvider<O> p) {
        return p.create(p.defaultOptions());
    }

    @Override
    public void close() throws IOException {
        files.close();
    }
}
