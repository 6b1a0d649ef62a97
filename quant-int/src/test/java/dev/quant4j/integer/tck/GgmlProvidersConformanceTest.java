package dev.quant4j.integer.tck;

import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.integer.ggml.GgmlProviders;
import dev.quant4j.tck.QuantizerProviderTestCase;

/** The conformance kit over every ggml provider of quant-int (each nested class is the three-line subclass). */
class GgmlProvidersConformanceTest {
    static class F32Test extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new GgmlProviders.F32(); }
    }

    static class F16Test extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new GgmlProviders.F16(); }
    }

    static class BF16Test extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new GgmlProviders.BF16(); }
    }

    static class Q40Test extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new GgmlProviders.Q4_0(); }
    }

    static class Q41Test extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new GgmlProviders.Q4_1(); }
    }

    static class Q50Test extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new GgmlProviders.Q5_0(); }
    }

    static class Q51Test extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new GgmlProviders.Q5_1(); }
    }

    static class Q80Test extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new GgmlProviders.Q8_0(); }
    }

    static class Q81Test extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new GgmlProviders.Q8_1(); }
    }

    static class Q3KTest extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new GgmlProviders.Q3_K(); }
    }

    static class Q4KTest extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new GgmlProviders.Q4_K(); }
    }

    static class Q5KTest extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new GgmlProviders.Q5_K(); }
    }

    static class Q6KTest extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new GgmlProviders.Q6_K(); }
    }

    static class Q8KTest extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new GgmlProviders.Q8_K(); }
    }
}
