package dev.quant4j.api.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.ProviderKind;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.spi.Spi;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuantRegistryTest {
    record Fake(String name, int level) implements QuantizerProvider<NoOptions> {
        Fake(String name) {
            this(name, Spi.LEVEL);
        }

        @Override
        public ProviderDescriptor descriptor() {
            return new ProviderDescriptor(name, "fake " + name, "1", level, Set.of());
        }

        @Override
        public Class<NoOptions> optionsType() {
            return NoOptions.class;
        }

        @Override
        public Quantizer create(NoOptions o) {
            throw new UnsupportedOperationException("not needed here");
        }
    }

    record Other(String name) implements QuantizerProvider<NoOptions> {
        @Override
        public ProviderDescriptor descriptor() {
            return new ProviderDescriptor(name, "other " + name, "1", Spi.LEVEL, Set.of());
        }

        @Override
        public Class<NoOptions> optionsType() {
            return NoOptions.class;
        }

        @Override
        public Quantizer create(NoOptions o) {
            throw new UnsupportedOperationException("not needed here");
        }
    }

    @Test
    void missingNameListsAvailableAndSuggests() {
        QuantRegistry r = QuantRegistry.of(new Fake("q4_0"), new Fake("q4_k"), new Fake("q8_0"));
        QuantException e = assertThrows(QuantException.class, () -> r.quantizer("q4k"));
        assertEquals(ErrorCode.UNKNOWN_NAME, e.code());
        assertEquals("No quantizer named 'q4k'. Available: [q4_0, q4_k, q8_0]. Did you mean 'q4_k'?", e.getMessage());
        QuantException far = assertThrows(QuantException.class, () -> r.quantizer("gptq"));
        assertTrue(!far.getMessage().contains("Did you mean"), far.getMessage());
    }

    @Test
    void duplicateNamesNameBothClasses() {
        QuantException e = assertThrows(QuantException.class, () -> QuantRegistry.of(new Fake("x"), new Other("x")));
        assertEquals(ErrorCode.DUPLICATE_NAME, e.code());
        assertTrue(e.getMessage().contains(Fake.class.getName()) && e.getMessage().contains(Other.class.getName()),
                e.getMessage());
        assertTrue(e.getMessage().contains("Remove one"), e.getMessage());
    }

    @Test
    void spiLevelMismatchNamesPluginAndLevels() {
        QuantException e = assertThrows(QuantException.class, () -> QuantRegistry.of(new Fake("future", Spi.LEVEL + 1)));
        assertEquals(ErrorCode.SPI_MISMATCH, e.code());
        assertTrue(e.getMessage().contains("'future'") && e.getMessage().contains("SPI level " + (Spi.LEVEL + 1))
                && e.getMessage().contains("level " + Spi.LEVEL), e.getMessage());
    }

    @Test
    void lookupByKindAndName() {
        QuantRegistry r = QuantRegistry.of(new Fake("b"), new Fake("a"));
        assertEquals(List.of("a", "b"), r.names(ProviderKind.QUANTIZER));
        assertEquals("a", r.quantizer("a").descriptor().name());
        assertTrue(r.find(ProviderKind.PLANNER, "a").isEmpty());
    }

    @Test
    void distanceIsLevenshtein() {
        assertEquals(0, Names.distance("abc", "abc"));
        assertEquals(1, Names.distance("q4k", "q4_k"));
        assertEquals(3, Names.distance("kitten", "sitting"));
    }
}
