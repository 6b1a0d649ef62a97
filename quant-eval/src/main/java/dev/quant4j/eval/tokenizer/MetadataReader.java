package dev.quant4j.eval.tokenizer;

import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import java.util.List;
import java.util.Optional;

/** Typed access to {@code tokenizer.ggml.*} values; every wrong type is an error naming the key. */
final class MetadataReader {
    private final Metadata metadata;

    MetadataReader(Metadata metadata) {
        this.metadata = metadata;
    }

    Optional<String> string(String key) {
        Optional<MetaValue> v = metadata.get(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get() instanceof MetaValue.Text t) {
            return Optional.of(t.value());
        }
        throw wrongType(key, "a string", v.get());
    }

    Optional<Boolean> bool(String key) {
        Optional<MetaValue> v = metadata.get(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get() instanceof MetaValue.Bool b) {
            return Optional.of(b.value());
        }
        throw wrongType(key, "a bool", v.get());
    }

    /** An integer key read as llama.cpp's uint32 (negative values wrap to large ones). */
    Optional<Long> uint32(String key) {
        Optional<MetaValue> v = metadata.get(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get() instanceof MetaValue.Int i) {
            return Optional.of(i.value() & 0xFFFFFFFFL);
        }
        throw wrongType(key, "an integer", v.get());
    }

    /** The elements of array {@code key}, which must hold {@code element} values; empty when the key is absent. */
    Optional<List<MetaValue>> array(String key, MetaType element) {
        Optional<MetaValue> v = metadata.get(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get() instanceof MetaValue.Array a && a.elementType() == element) {
            return Optional.of(a.values());
        }
        throw wrongType(key, "an array of " + element.label(), v.get());
    }

    private static TokenizerException wrongType(String key, String expected, MetaValue actual) {
        String got = actual instanceof MetaValue.Array a ? "an array of " + a.elementType().label()
                : actual.type().label();
        return new TokenizerException("metadata key '" + key + "' must be " + expected + " but is " + got);
    }
}
