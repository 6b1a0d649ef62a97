package dev.quant4j.eval.arch;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ArchitectureProvider;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.tck.ArchitectureProviderTestCase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;

/** The kit's conformance checks for the four built-in architectures, on the metadata of the reference models. */
class BuiltInArchitecturesTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(BuiltInArchitecturesTest.class.getClassLoader());

    static Metadata metadataOf(String relative) {
        Path p = Path.of(System.getProperty("quant4j.shared", "../../shared")).resolve(relative);
        Assumptions.assumeTrue(Files.isRegularFile(p), p + " is absent: sample metadata unavailable");
        try (ModelReader r = REGISTRY.format("gguf").open(p)) {
            return r.metadata();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Nested
    class Llama extends ArchitectureProviderTestCase {
        @Override
        protected ArchitectureProvider provider() {
            return new LlamaArchitecture();
        }

        @Override
        protected Metadata sampleMetadata() {
            return metadataOf("reference/eval/models/synth-moe.gguf");
        }
    }

    @Nested
    class Qwen2 extends ArchitectureProviderTestCase {
        @Override
        protected ArchitectureProvider provider() {
            return new Qwen2Architecture();
        }

        @Override
        protected Metadata sampleMetadata() {
            return metadataOf("reference/eval/models/synth-qwen2.gguf");
        }
    }

    @Nested
    class Qwen3 extends ArchitectureProviderTestCase {
        @Override
        protected ArchitectureProvider provider() {
            return new Qwen3Architecture();
        }

        @Override
        protected Metadata sampleMetadata() {
            return metadataOf("reference/eval/models/synth-qwen3.gguf");
        }
    }

    @Nested
    class Qwen3Moe extends ArchitectureProviderTestCase {
        @Override
        protected ArchitectureProvider provider() {
            return new Qwen3MoeArchitecture();
        }

        @Override
        protected Metadata sampleMetadata() {
            return metadataOf("reference/eval/models/synth-qwen3moe.gguf");
        }
    }
}
