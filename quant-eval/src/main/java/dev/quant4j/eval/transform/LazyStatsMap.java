package dev.quant4j.eval.transform;

import dev.quant4j.api.tensor.ChannelStats;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@link dev.quant4j.api.spi.TransformInput#stats()} over statistics read when asked: {@code get} reads one entry,
 * iterating reads every entry in turn (holding only the one being looked at).
 */
final class LazyStatsMap extends AbstractMap<String, ChannelStats> {
    private final List<String> names;
    private final Function<String, Optional<ChannelStats>> read;

    LazyStatsMap(List<String> names, Function<String, Optional<ChannelStats>> read) {
        this.names = List.copyOf(names);
        this.read = read;
    }

    @Override
    public ChannelStats get(Object key) {
        return key instanceof String s ? read.apply(s).orElse(null) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return names.contains(key);
    }

    @Override
    public Set<Entry<String, ChannelStats>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, ChannelStats>> iterator() {
                return names.stream().map(w -> Map.entry(w, read.apply(w).orElseThrow())).iterator();
            }

            @Override
            public int size() {
                return names.size();
            }
        };
    }
}
