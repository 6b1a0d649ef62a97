package dev.quant4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.ArchitectureProvider;
import dev.quant4j.api.spi.ArchitectureSpec;
import dev.quant4j.api.spi.ProviderKind;
import dev.quant4j.api.tensor.Metadata;
import org.junit.jupiter.api.Test;

/**
 * Conformance of an {@link ArchitectureProvider}. A plugin's test gives the provider and the metadata of one
 * model of its architecture:
 *
 * <pre>{@code
 * class MistralArchitectureTest extends ArchitectureProviderTestCase {
 *     @Override protected ArchitectureProvider provider() { return new MistralArchitecture(); }
 *     @Override protected Metadata sampleMetadata() { return ...; }  // e.g. read from a small GGUF
 * }
 * }</pre>
 */
public abstract class ArchitectureProviderTestCase extends ProviderTestCase<ArchitectureProvider> {
    @Override
    final ProviderKind expectedKind() {
        return ProviderKind.ARCHITECTURE;
    }

    /** Metadata of a valid model of this architecture ({@code general.architecture} = the provider's name). */
    protected abstract Metadata sampleMetadata();

    /** The spec names the architecture the provider is registered for, and reading it twice gives the same spec. */
    @Test
    public final void describesTheSampleAsItsOwnArchitecture() {
        ArchitectureSpec spec = provider().describe(sampleMetadata());
        assertEquals(provider().descriptor().name(), spec.architecture(), "spec.architecture()");
        assertEquals(spec, provider().describe(sampleMetadata()), "describe is a pure function of the metadata");
        assertTrue(spec.heads() % spec.headsKv() == 0, "heads are a multiple of KV heads");
    }

    /**
     * Without any one of its {@code ARCH.*} keys the metadata either still describes a model (the key has a
     * default) or fails with a {@link QuantException} that names the key, never with another exception.
     */
    @Test
    public final void aMissingKeyIsDefaultedOrNamed() {
        Metadata sample = sampleMetadata();
        String prefix = provider().descriptor().name() + ".";
        for (Metadata.Entry e : sample.entries()) {
            if (!e.key().startsWith(prefix)) {
                continue;
            }
            try {
                provider().describe(sample.without(e.key()));
            } catch (QuantException q) {
                assertTrue(q.getMessage().contains(e.key()), "without '" + e.key() + "' the error does not name it: "
                        + q.getMessage());
            } catch (RuntimeException r) {
                fail("without '" + e.key() + "' describe threw " + r + " instead of a QuantException naming the key");
            }
        }
    }
}
