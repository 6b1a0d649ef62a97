package dev.quant4j.engine;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.Plan;
import dev.quant4j.api.spi.PlanContext;
import dev.quant4j.api.spi.PlanRequest;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.ProviderKind;
import dev.quant4j.api.spi.QualityProbe;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A job's {@link PlanContext}: tensors from its open reader, plugins by name from its registry. */
final class RegistryPlanContext implements PlanContext {
    private final QuantRegistry registry;
    private final ModelReader reader;
    private final String outputFormat;
    private final WriteOptions writeOptions;
    private final int threads;
    private final QualityProbe probe;
    private final Map<String, TensorInfo> byName = new HashMap<>();

    RegistryPlanContext(QuantRegistry registry, ModelReader reader, String outputFormat, WriteOptions writeOptions,
                        int threads) {
        this(registry, reader, outputFormat, writeOptions, threads, null);
    }

    /** With the caller's forward-pass probe ({@code null}: none). */
    RegistryPlanContext(QuantRegistry registry, ModelReader reader, String outputFormat, WriteOptions writeOptions,
                        int threads, QualityProbe probe) {
        this.probe = probe;
        this.registry = registry;
        this.reader = reader;
        this.outputFormat = outputFormat;
        this.writeOptions = writeOptions;
        this.threads = threads;
        reader.tensors().forEach(t -> byName.put(t.name(), t));
    }

    @Override
    public TensorView tensor(String name) {
        TensorInfo t = byName.get(name);
        if (t == null) {
            throw new QuantException(ErrorCode.INVALID_PLAN, "the planner asked for tensor '" + name + "' which "
                    + reader.path() + " does not have");
        }
        try {
            return reader.view(t);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Quantizer quantizer(String name, Map<String, String> options) {
        return Workers.quantizer(registry, name, options);
    }

    @Override
    public ProviderDescriptor quantizerDescriptor(String name) {
        return registry.get(ProviderKind.QUANTIZER, name).descriptor();
    }

    @Override
    public Plan plan(String planner, Map<String, String> options, PlanRequest request) {
        return Workers.planner(registry.planner(planner), options).plan(request);
    }

    @Override
    public long fileBytes(ModelLayout layout) {
        return registry.format(outputFormat).fileBytes(layout, writeOptions).orElseThrow(() -> new QuantException(
                ErrorCode.INVALID_PLAN, "format '" + outputFormat + "' cannot predict its file size"));
    }

    @Override
    public int threads() {
        return threads;
    }

    @Override
    public Optional<QualityProbe> qualityProbe() {
        return Optional.ofNullable(probe);
    }
}
