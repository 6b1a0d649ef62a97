package dev.quant4j.eval.transform;

import dev.quant4j.api.tensor.ChannelStats;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where calibration statistics come from when a transform asks for one weight's: a map in memory (a calibration
 * that fits one pass) or a {@link ChannelStatsFile} read one entry at a time.
 */
public interface StatsSource {
    /** The weights that have statistics, in file order (an expert's as {@code weight#e}). */
    Set<String> weights();

    /** The statistics of {@code weight}'s input, or empty. */
    Optional<ChannelStats> get(String weight);

    /** No statistics at all. */
    static StatsSource none() {
        return of(Map.of());
    }

    /** Statistics held in memory. */
    static StatsSource of(Map<String, ChannelStats> stats) {
        Map<String, ChannelStats> copy = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(stats));
        return new StatsSource() {
            @Override
            public Set<String> weights() {
                return copy.keySet();
            }

            @Override
            public Optional<ChannelStats> get(String weight) {
                return Optional.ofNullable(copy.get(weight));
            }
        };
    }
}
