package dev.quant4j.api.spi;

import java.util.Map;

/**
 * What every provider has: a descriptor, an options record type and a way to build that record
 * from the strings a command line or a plan carries.
 *
 * @param <O> the provider's validated options record
 */
public sealed interface Provider<O extends Record>
        permits QuantizerProvider, CalibratorProvider, FormatProvider, PlannerProvider, ArchitectureProvider,
        TransformProvider {

    ProviderDescriptor descriptor();

    ProviderKind kind();

    Class<O> optionsType();

    /**
     * Options from {@code key=value} strings (keys in kebab-case, matching the record's components).
     * Unknown keys and invalid values throw {@code QuantException(INVALID_OPTION)} naming the field.
     */
    default O parseOptions(Map<String, String> values) {
        return OptionParser.parse(descriptor().name(), optionsType(), values);
    }

    default O defaultOptions() {
        return parseOptions(Map.of());
    }
}
