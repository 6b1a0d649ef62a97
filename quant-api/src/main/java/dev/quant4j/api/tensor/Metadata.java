package dev.quant4j.api.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Ordered key/value metadata of a model; order is kept because files are rewritten byte for byte. */
public record Metadata(List<Entry> entries) {
    public record Entry(String key, MetaValue value) {
        public Entry {
            Objects.requireNonNull(key);
            Objects.requireNonNull(value);
        }
    }

    public Metadata {
        entries = List.copyOf(entries);
    }

    public static Metadata empty() {
        return new Metadata(List.of());
    }

    public Optional<MetaValue> get(String key) {
        return entries.stream().filter(e -> e.key().equals(key)).map(Entry::value).findFirst();
    }

    public Optional<String> getString(String key) {
        return get(key).filter(v -> v instanceof MetaValue.Text).map(v -> ((MetaValue.Text) v).value());
    }

    public Optional<Long> getLong(String key) {
        return get(key).filter(v -> v instanceof MetaValue.Int).map(v -> ((MetaValue.Int) v).value());
    }

    /** A copy with {@code key} set: replaced in place when present, appended otherwise. */
    public Metadata with(String key, MetaValue value) {
        List<Entry> out = new ArrayList<>(entries);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).key().equals(key)) {
                out.set(i, new Entry(key, value));
                return new Metadata(out);
            }
        }
        out.add(new Entry(key, value));
        return new Metadata(out);
    }

    public Metadata without(String key) {
        return new Metadata(entries.stream().filter(e -> !e.key().equals(key)).toList());
    }
}
