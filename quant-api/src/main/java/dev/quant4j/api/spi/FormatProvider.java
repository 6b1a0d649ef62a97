package dev.quant4j.api.spi;

import java.io.IOException;
import java.nio.file.Path;

/** A model container format (GGUF, safetensors): sniffing, reading and streaming writes. */
public non-sealed interface FormatProvider extends Provider<NoOptions> {
    @Override
    default ProviderKind kind() {
        return ProviderKind.FORMAT;
    }

    @Override
    default Class<NoOptions> optionsType() {
        return NoOptions.class;
    }

    /** True when {@code file} looks like this format (by its magic); never throws. */
    boolean canRead(Path file);

    /** Opens {@code file} (the first shard of a split model opens the whole model). */
    ModelReader open(Path file) throws IOException;

    /**
     * Starts writing {@code layout} to {@code file}: sizes are fixed up front, data goes to
     * {@code file + ".tmp"} (or per-shard temp files) until {@link ModelWriter#commit()}.
     */
    ModelWriter create(Path file, ModelLayout layout, WriteOptions options) throws IOException;

    /**
     * As {@link #create(Path, ModelLayout, WriteOptions)} for a format that quantizes on its own terms
     * (compressed-tensors): it reaches the quantizers it names ({@link #quantizerFor}) through {@code installed}.
     * Other formats ignore the lookup.
     */
    default ModelWriter create(Path file, ModelLayout layout, WriteOptions options, QuantizerLookup installed)
            throws IOException {
        return create(file, layout, options);
    }

    /**
     * The quantizer this format writes {@code tensor} with under {@code options}, when the
     * format quantizes by itself; empty when it copies the tensor or takes bytes as given. Lets a host search
     * against the quantizer actually used (AWQ targets) without knowing the format.
     */
    default java.util.Optional<QuantizerSpec> quantizerFor(ModelLayout.TensorSlot tensor, WriteOptions options) {
        return java.util.Optional.empty();
    }

    /**
     * Exact total bytes {@link #create} would write for {@code layout} (all shards, headers and padding
     * included), or empty when the format cannot tell without writing.
     */
    default java.util.OptionalLong fileBytes(ModelLayout layout, WriteOptions options) {
        return java.util.OptionalLong.empty();
    }
}
