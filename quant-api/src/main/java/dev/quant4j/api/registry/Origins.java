package dev.quant4j.api.registry;

import java.security.ProtectionDomain;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Where the provider classes of one registry load came from, looked up once per protection domain: the providers
 * of one jar share it, and turning its location into a path (a URI parse and a {@code Path.of}) ran once per
 * provider, interpreted, on the start-up path of every command.
 */
final class Origins {
    private final Map<ProtectionDomain, String> byDomain = new IdentityHashMap<>();

    /** The same as {@link QuantRegistry#originOf(Class)}. */
    String of(Class<?> type) {
        return byDomain.computeIfAbsent(type.getProtectionDomain(), unused -> QuantRegistry.originOf(type));
    }
}
