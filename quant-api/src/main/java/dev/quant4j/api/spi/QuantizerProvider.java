package dev.quant4j.api.spi;

/** Creates configured {@link Quantizer}s. Stateless and cheap; found through ServiceLoader. */
public non-sealed interface QuantizerProvider<O extends Record> extends Provider<O> {
    @Override
    default ProviderKind kind() {
        return ProviderKind.QUANTIZER;
    }

    /** A quantizer for validated {@code options}. */
    Quantizer create(O options);

    /**
     * A quantizer for validated {@code options} that may build on other installed quantizers, reached by name
     * through {@code installed} (a composite such as {@code gptq}). Self-contained quantizers ignore it.
     */
    default Quantizer create(O options, QuantizerLookup installed) {
        return create(options);
    }
}
