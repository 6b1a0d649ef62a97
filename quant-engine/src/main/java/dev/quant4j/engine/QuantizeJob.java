package dev.quant4j.engine;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.registry.RegistryEntry;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.CalibratorProvider;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.Plan;
import dev.quant4j.api.spi.PlanRequest;
import dev.quant4j.api.spi.Planner;
import dev.quant4j.api.spi.PlannerProvider;
import dev.quant4j.api.spi.ProviderKind;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.spi.TensorPlan;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.CalibrationStats;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.TensorActivationStats;
import dev.quant4j.api.tensor.TensorEncoding;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quantizes one model: the whole pipeline of {@code quant quantize}, usable from any application.
 * Input is memory-mapped, the planner decides per tensor, tensors are written in order while the rows
 * of each are quantized in parallel chunks straight into the (memory-mapped) output, which appears under
 * its final name only when complete. Peak memory is a few chunks, whatever the model size.
 *
 * <pre>{@code
 * QuantizeReport r = QuantizeJob.builder(QuantRegistry.load(cl))
 *         .input(in).output(out)
 *         .planner("llama-cpp", Map.of("file-type", "Q4_K_M"))
 *         .threads(8).build().run();
 * }</pre>
 */
public final class QuantizeJob {
    private static final Logger LOG = LoggerFactory.getLogger(QuantizeJob.class);
    /** Registry name of the GPTQ quantizer {@code --gptq} puts in front of the planned ones. */
    private static final String GPTQ = "gptq";

    private final QuantRegistry registry;
    private final Path input;
    private final Path output;
    private final String plannerName;
    private final Map<String, String> plannerOptions;
    private final Path importanceFile;
    private final String importanceName;
    private final int threads;
    private final boolean dryRun;
    private final boolean measureError;
    private final String outputFormat;
    private final WriteOptions writeOptions;
    private final boolean keepSplit;
    private final ProgressListener listener;
    private final boolean sync;
    private final boolean resume;
    private final Path hessianFile;
    private final dev.quant4j.kernels.gptq.GptqConfig gptqConfig;
    private final boolean protect;
    private final List<SuperWeights.SuperWeight> superWeights;
    private final dev.quant4j.api.spi.QualityProbe qualityProbe;
    private volatile boolean cancelled;

    private QuantizeJob(Builder b) {
        this.registry = Objects.requireNonNull(b.registry, "registry");
        this.input = Objects.requireNonNull(b.input, "input");
        this.output = b.dryRun ? b.output : Objects.requireNonNull(b.output, "output");
        this.plannerName = Objects.requireNonNull(b.plannerName, "planner");
        this.plannerOptions = Map.copyOf(b.plannerOptions);
        this.importanceFile = b.importanceFile;
        this.importanceName = b.importanceName;
        this.threads = b.threads > 0 ? b.threads : Runtime.getRuntime().availableProcessors();
        this.dryRun = b.dryRun;
        this.measureError = b.measureError;
        this.outputFormat = b.outputFormat;
        this.writeOptions = b.writeOptions;
        this.keepSplit = b.keepSplit;
        this.listener = b.listener;
        this.sync = b.sync;
        this.resume = b.resume;
        this.hessianFile = b.hessianFile;
        this.gptqConfig = b.gptqConfig;
        this.protect = b.protect != null ? b.protect : IMPORTANCE.equals(b.plannerName);
        this.superWeights = b.superWeights;
        this.qualityProbe = b.qualityProbe;
    }

    /** The planner that protects super weights by default (and takes them as floors within its budget). */
    static final String IMPORTANCE = "importance";

    public static Builder builder(QuantRegistry registry) {
        return new Builder(registry);
    }

    /** Asks a running job to stop; it removes its partial output and throws {@link CancellationException}. */
    public void cancel() {
        cancelled = true;
    }

    /** Runs the job. On any failure nothing is left under the output name(s), temp files included. */
    public QuantizeReport run() throws IOException {
        long start = System.nanoTime();
        if (!dryRun && java.nio.file.Files.exists(output) && java.nio.file.Files.isSameFile(input, output)) {
            throw new QuantException(ErrorCode.INVALID_OPTION, output + " is the input file; choose another output name");
        }
        FormatProvider inFormat = Models.formatFor(registry, input);
        try (ModelReader reader = inFormat.open(input)) {
            long shard = reader.metadata().getLong("split.no").orElse(0L);
            if (shard > 0) {
                throw new QuantException(ErrorCode.INVALID_PLAN, input + " is shard " + (shard + 1)
                        + " of a split model; give the first shard (…-00001-of-…), which opens the whole model");
            }
            Optional<CalibrationStats> stats = importanceFile == null ? Optional.empty() : Optional.of(importImportance());
            SuperWeightGuard guard = new SuperWeightGuard(registry, !protect ? List.of() : superWeights != null
                    ? superWeights : SuperWeights.scan(registry, input, importanceFile, SuperWeights.DEFAULT_FACTOR).found());
            Map<String, String> chosen = plannerOptions;
            if (!guard.isEmpty() && IMPORTANCE.equals(plannerName)) {
                chosen = withFloors(guard.floors(reader, stats));
            }
            Plan plan = planner(chosen).plan(new PlanRequest(reader.metadata(), reader.tensors(), stats, encodings())
                    .withContext(new RegistryPlanContext(registry, reader, outputFormat, writeOptions, threads,
                            qualityProbe)));
            Map<String, DType> plannedTypes = new HashMap<>();
            plan.tensors().forEach(t -> plannedTypes.put(t.name(), t.targetType()));
            if (!guard.isEmpty()) {
                List<String> warnings = new ArrayList<>(plan.warnings());
                plan = new Plan(plan.metadata(), guard.enforce(reader, plan.tensors(), stats, plan.importanceWithheld(),
                        warnings), warnings, plan.importanceWithheld(), plan.summary());
            }
            checkHessians();
            List<TensorStep> steps = resolve(reader, plan, stats);
            long inputBytes = steps.stream().mapToLong(s -> s.source().byteSize()).sum();
            if (output != null) {
                DiskFull.checkEstimate(output, steps.stream().mapToLong(TensorStep::outputBytes).toArray(), resume);
            }
            listener.planned(plan, inputBytes);
            plan.warnings().forEach(listener::warning);
            List<TensorResult> results;
            List<Path> files;
            List<ProtectedWeight> kept = List.of();
            if (dryRun) {
                results = steps.stream().map(s -> result(s, Double.NaN, Double.NaN, 0)).toList();
                files = List.of();
            } else {
                ModelLayout layout = new ModelLayout(plan.metadata(), steps.stream()
                        .map(s -> new ModelLayout.TensorSlot(s.plan().name(), s.plan().targetType(), s.plan().shape(),
                                s.outputBytes())).toList());
                FormatProvider outFormat = registry.format(outputFormat);
                WriteOptions options = shardsFor(reader, steps).withSync(sync).withResume(resume);
                RunIdentity identity = RunIdentity.of(reader.container().files(), importanceFile,
                        optionsText(options), planText(plan, steps));
                ResumeState state = ResumeState.prepare(output, identity, resume, listener);
                boolean committed = false;
                try (ModelWriter writer = outFormat.create(output, layout, options)) {
                    DiskFull.checkFiles(output, writer.tempFiles(), resume); // exact sizes, before any data
                    try (Journal journal = state.open(writer, steps, sync, listener)) {
                        if (resume) {
                            DiskFull.checkRemaining(output, steps, state.verified().keySet());
                        }
                        results = write(reader, steps, writer, journal, state.verified());
                        kept = guard.verify(reader, writer, steps, plannedTypes);
                        kept.stream().filter(w -> !w.preserved()).forEach(w -> listener.warning("super weight "
                                + w.tensor() + "[" + w.row() + "," + w.column() + "] " + w.before() + " -> " + w.after()
                                + " in " + w.type() + ": relative error above 1 %"));
                        writer.commit();
                    } catch (IOException e) {
                        throw DiskFull.translate(e, output, writer.tempFiles(), resume);
                    }
                    committed = true;
                    files = writer.files();
                } finally {
                    state.finish(committed);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long outBytes = results.stream().mapToLong(TensorResult::bytes).sum();
            long elements = results.stream().mapToLong(r -> r.shape().elementCount()).sum();
            return new QuantizeReport(input, files, plannerName + " " + plannerOptions, dryRun, results,
                    plan.warnings(), inputBytes, outBytes, elements, seconds, threads, predictPeak(steps), kept);
        }
    }

    /** The split of the output: as asked, or with keep-split one shard per input shard. */
    private WriteOptions shardsFor(ModelReader reader, List<TensorStep> steps) {
        if (!keepSplit || reader.container().files().size() < 2) {
            return writeOptions;
        }
        List<Integer> counts = new ArrayList<>();
        int current = -1;
        for (TensorStep s : steps) {
            int shard = reader.shardOf(s.source().name());
            if (shard < current) {
                throw new QuantException(ErrorCode.INVALID_PLAN, "keep-split: the plan writes tensor '"
                        + s.source().name() + "' of input shard " + (shard + 1) + " after tensors of shard "
                        + (current + 1) + "; the planner must keep the input's order (llama-cpp does with keep-split)");
            }
            if (shard != current) {
                counts.add(0);
                current = shard;
            }
            counts.set(counts.size() - 1, counts.getLast() + 1);
        }
        return WriteOptions.shards(counts);
    }

    private CalibrationStats importImportance() throws IOException {
        CalibratorProvider<?> provider = registry.calibrator("imatrix");
        CalibrationStats s = Workers.calibrator(provider).importFile(importanceFile,
                file -> Models.formatFor(registry, file).open(file));
        return importanceName == null ? s : new CalibrationStats(importanceName, s.tensors(), s.datasets(), s.chunkCount());
    }

    /** Every installed quantizer's encoding under its default options (providers are cheap to ask). */
    private Map<String, TensorEncoding> encodings() {
        Map<String, TensorEncoding> m = new LinkedHashMap<>();
        for (String name : registry.names(ProviderKind.QUANTIZER)) {
            try {
                m.put(name, Workers.quantizer(registry.quantizer(name), Map.of()).encoding());
            } catch (QuantException e) {
                LOG.debug("quantizer {} has no default configuration: {}", name, e.getMessage());
            }
        }
        return m;
    }

    private Planner planner(Map<String, String> options) {
        PlannerProvider<?> p = registry.planner(plannerName);
        return Workers.planner(p, options);
    }

    /** The planner's options with a floor per tensor holding super weights (the importance planner's hook). */
    private Map<String, String> withFloors(Map<String, DType> floors) {
        if (floors.isEmpty()) {
            return plannerOptions;
        }
        Map<String, String> o = new LinkedHashMap<>(plannerOptions);
        List<String> all = new ArrayList<>();
        if (o.containsKey("floors")) {
            all.add(o.get("floors"));
        }
        floors.forEach((t, type) -> all.add("^" + java.util.regex.Pattern.quote(t) + "$=" + type.lowerName()));
        o.put("floors", String.join(",", all));
        return o;
    }

    private List<TensorStep> resolve(ModelReader reader, Plan plan, Optional<CalibrationStats> stats) {
        Map<String, TensorInfo> byName = new HashMap<>();
        reader.tensors().forEach(t -> byName.put(t.name(), t));
        Map<String, Quantizer> cache = new HashMap<>();
        List<TensorStep> steps = new ArrayList<>();
        for (TensorPlan planned : plan.tensors()) {
            TensorInfo src = byName.get(planned.name());
            if (src == null) {
                throw new QuantException(ErrorCode.INVALID_PLAN, "planner '" + plannerName + "' planned tensor '"
                        + planned.name() + "' which the input " + input + " does not have");
            }
            if (planned.isCopy()) {
                steps.add(new TensorStep(src, planned, null, null, null, src.byteSize(), true, false));
                continue;
            }
            TensorPlan tp = gptqPlan(planned, src, quantizer(cache, planned));
            Quantizer q = quantizer(cache, tp);
            Quantizer decoder = null;
            if (!src.type().isFloat()) {
                decoder = sourceDecoder(src, cache);
            }
            TensorActivationStats imp = plan.importanceWithheld().contains(tp.name()) ? null
                    : stats.flatMap(s -> s.forTensor(tp.name())).map(s -> perRow(s, src)).orElse(null);
            if (imp != null && imp.columns() != src.shape().rowLength()) {
                throw new QuantException(ErrorCode.INVALID_PLAN, importanceFile + ": importance data for tensor '" + tp.name() + "' has "
                        + imp.columns() + " columns but the tensor's rows have " + src.shape().rowLength()
                        + "; the imatrix was made for another model");
            }
            if (q.encoding() instanceof TensorEncoding.Custom custom) {
                throw new QuantException(ErrorCode.INVALID_PLAN, "tensor '" + tp.name() + "': quantizer '"
                        + tp.quantizer() + "' writes its own layout (" + custom.name() + ") which " + outputFormat
                        + " files cannot carry; choose a ggml type (q8_0, q4_k, ...) for GGUF output");
            }
            var descriptor = registry.get(ProviderKind.QUANTIZER, tp.quantizer()).descriptor();
            steps.add(new TensorStep(src, tp, q, decoder, imp, q.encodedBytes(tp.name(), tp.shape()),
                    descriptor.has(Capability.ROW_INDEPENDENT), descriptor.has(Capability.DEQUANTIZE)));
        }
        return steps;
    }

    /**
     * Statistics laid out as one slice per expert: a legacy .dat imatrix stores a MoE tensor's experts as one
     * long row, which is cut here into rows of the weight's row length.
     */
    private static TensorActivationStats perRow(TensorActivationStats s, TensorInfo weight) {
        long rowLength = weight.shape().rowLength();
        long total = (long) s.columns() * s.slices();
        if (s.columns() == rowLength || total % rowLength != 0) {
            return s;
        }
        return new TensorActivationStats(s.tensor(), (int) rowLength, (int) (total / rowLength), s.count(), s.meanSquares());
    }

    private Quantizer sourceDecoder(TensorInfo src, Map<String, Quantizer> cache) {
        String name = src.type().lowerName();
        RegistryEntry e = registry.find(ProviderKind.QUANTIZER, name).orElseThrow(() -> new QuantException(
                ErrorCode.UNSUPPORTED_TYPE, "tensor '" + src.name() + "' is " + name
                        + " and no installed quantizer can dequantize " + name));
        if (!e.descriptor().has(Capability.DEQUANTIZE)) {
            throw new QuantException(ErrorCode.UNSUPPORTED_TYPE, "tensor '" + src.name() + "' is " + name
                    + " and quantizer '" + name + "' cannot dequantize");
        }
        return cache.computeIfAbsent(name + " {}", k -> Workers.quantizer((QuantizerProvider<?>) e.provider(), Map.of()));
    }

    private Quantizer quantizer(Map<String, Quantizer> cache, TensorPlan tp) {
        return cache.computeIfAbsent(tp.quantizer() + " " + tp.options(),
                k -> Workers.quantizer(registry, tp.quantizer(), tp.options()));
    }

    /** Refuses a GPTQ statistics file made for another model (before any tensor is written). */
    private void checkHessians() throws IOException {
        if (hessianFile == null) {
            return;
        }
        try (dev.quant4j.kernels.gptq.HessianFile h = dev.quant4j.kernels.gptq.HessianFile.open(hessianFile)) {
            if (!java.util.Arrays.equals(h.header().modelHash(), dev.quant4j.kernels.gptq.HessianFile.sha256(input))) {
                throw new QuantException(ErrorCode.INVALID_PLAN, hessianFile + ": the GPTQ statistics were computed "
                        + "for another model (sha-256 differs from " + input + "); calibrate this model again");
            }
        }
    }

    /**
     * {@code --gptq}: the plan's block-quantizing step rewritten to the registry's {@code gptq} quantizer in front of
     * the planned one (same type and bytes per row), or the plan itself where GPTQ does not apply (copies, float or
     * non-block targets, quantized sources, quantizers that are not row-independent with dequantization).
     */
    private TensorPlan gptqPlan(TensorPlan tp, TensorInfo src, Quantizer planned) {
        if (hessianFile == null || tp.isCopy() || !src.type().isFloat() || tp.quantizer().equals(GPTQ)
                || !(planned.encoding() instanceof TensorEncoding.Ggml g) || g.type().blockSize() < 2) {
            return tp;
        }
        var d = registry.get(ProviderKind.QUANTIZER, tp.quantizer()).descriptor();
        if (!d.has(Capability.ROW_INDEPENDENT) || !d.has(Capability.DEQUANTIZE)) {
            return tp;
        }
        if (registry.find(ProviderKind.QUANTIZER, GPTQ).isEmpty()) {
            throw new QuantException(ErrorCode.UNKNOWN_NAME, "GPTQ needs the 'gptq' quantizer (quant-importance) "
                    + "on the class path");
        }
        StringBuilder inner = new StringBuilder();
        new java.util.TreeMap<>(tp.options()).forEach((k, v) -> inner.append(inner.isEmpty() ? "" : ";")
                .append(k).append(':').append(v));
        Map<String, String> o = Map.of("type", tp.quantizer(), "type-options", inner.toString(),
                "hessians", hessianFile.toAbsolutePath().toString(),
                "dampening", Double.toString(gptqConfig.dampening()), "act-order", Boolean.toString(gptqConfig.actOrder()));
        return new TensorPlan(tp.name(), tp.shape(), tp.sourceType(), tp.targetType(), GPTQ, o, tp.rule(), tp.note());
    }

    /** The options that shape the output's bytes, in a stable order, for the resume journal. */
    private String optionsText(WriteOptions w) {
        return "planner=" + plannerName + " options=" + new java.util.TreeMap<>(plannerOptions) + " format=" + outputFormat
                + " gptq=" + hessianFile + "/" + gptqConfig + " split=" + w.maxShardBytes() + "/" + w.maxShardTensors() + "/" + w.shardTensorCounts();
    }

    /** Everything the planner decided, in a stable order (option maps sorted): the plan part of the identity. */
    private static String planText(Plan plan, List<TensorStep> steps) {
        StringBuilder sb = new StringBuilder(plan.metadata().toString());
        for (TensorStep s : steps) {
            TensorPlan p = s.plan();
            sb.append('\n').append(p.name()).append(' ').append(p.shape()).append(' ').append(p.sourceType())
                    .append(' ').append(p.targetType()).append(' ').append(p.quantizer()).append(' ')
                    .append(new java.util.TreeMap<>(p.options())).append(' ').append(s.outputBytes())
                    .append(' ').append(s.importance() != null);
        }
        return sb.toString();
    }

    /**
     * Writes every tensor. The calling thread queues each tensor's chunks on the pool without waiting for the
     * previous tensor (the queue is bounded by the writer's buffers); one finisher thread then takes the tensors
     * in the order they were queued: waits for their chunks, forces them to storage, records them in the journal
     * and reports them. So fsync and journal appends overlap the quantization of the next tensors instead of
     * stalling the pool. A tensor whose quantizer is still cold waits for later warm ones ({@link ColdTensors}).
     */
    private List<TensorResult> write(ModelReader reader, List<TensorStep> steps, ModelWriter writer, Journal journal,
                                     Map<Integer, Journal.Done> finished) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name("quant-", 0).factory());
        ExecutorService finisher = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("quant-finish").factory());
        // by layout index; the finisher takes them in the order they were queued
        List<Future<TensorResult>> pending = new ArrayList<>(java.util.Collections.nCopies(steps.size(), null));
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        try (InputRegions inputs = new InputRegions(reader)) {
            TensorWriter tw = new TensorWriter(pool, threads, measureError, () -> cancelled || failed.get(), inputs);
            long[] done = {0}; // source bytes of finished tensors, touched by the finisher thread only
            ColdTensors cold = new ColdTensors(tw, writer, c -> pending.set(c.index,
                    finisher.submit(() -> finishOrFail(c.step, c.index, steps.size(), c.pending, c.t0, writer, journal,
                            done, failed))));
            for (int i = 0; i < steps.size(); i++) {
                if (cancelled || failed.get()) {
                    break;
                }
                int index = i;
                TensorStep s = steps.get(i);
                Journal.Done before = finished.get(i);
                if (before != null) { // written by the interrupted run and verified against its checksum
                    pending.set(i, finisher.submit(() -> {
                        TensorResult r = result(s, before.rmse(), before.relativeRmse(), 0);
                        done[0] += s.source().byteSize();
                        listener.tensorDone(index, steps.size(), r, done[0]);
                        return r;
                    }));
                    continue;
                }
                long t0 = System.nanoTime();
                TensorView view = reader.view(s.source());
                if (ColdTensors.shouldWait(steps, i, finished.keySet())) {
                    cold.postpone(s, view, i, t0);
                    continue;
                }
                TensorWriter.Pending p;
                if (s.isCopy()) {
                    p = tw.submit(s, view, view, writer, i);
                } else if (!s.rowIndependent()) {
                    // a quantizer writing through the output mapping (not row-independent) starts once everything
                    // before it is written and journaled, and its space is taken by positional writes first: a full
                    // device is then an IOException at this tensor, never a fault inside the mapped stores
                    cold.flush();
                    for (Future<TensorResult> f : pending) {
                        if (f != null) {
                            f.get();
                        }
                    }
                    DiskFull.reserve(writer, i, s.outputBytes());
                    p = tw.submit(s, view, view, writer, i);
                } else {
                    p = tw.begin(s, view, view, writer, i);
                    long part = TensorWriter.chunkRows(view.rowLength()) * 4;
                    for (long r = 0; r < view.rows(); r += part) {
                        tw.queueRows(s, view, view, writer, i, p, r, Math.min(view.rows(), r + part));
                        cold.trickle();
                    }
                }
                pending.set(i, finisher.submit(() -> finishOrFail(s, index, steps.size(), p, t0, writer, journal, done,
                        failed)));
            }
            if (!cancelled && !failed.get()) {
                cold.flush();
            }
            List<TensorResult> results = new ArrayList<>();
            for (Future<TensorResult> f : pending) {
                if (f != null) {
                    results.add(f.get());
                }
            }
            if (cancelled) {
                throw new CancellationException("cancelled");
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw rethrow(e.getCause());
        } finally {
            finisher.shutdownNow();
            pool.shutdownNow();
            awaitQuietly(finisher);
            awaitQuietly(pool);
        }
    }

    /** {@link #finish}, stopping the queueing and the queued chunks when it fails. */
    private TensorResult finishOrFail(TensorStep s, int index, int count, TensorWriter.Pending p, long t0,
                                      ModelWriter writer, Journal journal, long[] done,
                                      java.util.concurrent.atomic.AtomicBoolean failed) throws IOException {
        try {
            return finish(s, index, count, p, t0, writer, journal, done);
        } catch (IOException | RuntimeException | Error e) {
            failed.set(true);
            throw e;
        }
    }

    /** On the finisher thread: tensor {@code index}'s chunks are waited for, forced, journaled and reported. */
    private TensorResult finish(TensorStep s, int index, int count, TensorWriter.Pending p, long t0, ModelWriter writer,
                                Journal journal, long[] done) throws IOException {
        if (cancelled) { // as a run without the pipeline: nothing more is recorded once cancel() was called
            throw new CancellationException("cancelled");
        }
        long base = done[0];
        long[] within = {0};
        long crc = p.await(b -> listener.progress(base + (within[0] += b)));
        if (!s.rowIndependent() && !s.isCopy()) {
            crc = Journal.crc(writer.tensorData(index)); // written through the mapping, read back
        }
        ErrorMeter meter = p.meter();
        TensorResult r = result(s, meter == null ? Double.NaN : meter.rmse(),
                meter == null ? Double.NaN : meter.relativeRmse(), (System.nanoTime() - t0) / 1e9);
        writer.force(index);
        journal.done(new Journal.Done(index, s.plan().name(), crc, r.rmse(), r.relativeRmse()));
        done[0] = base + s.source().byteSize();
        LOG.debug("{} {} -> {} ({} bytes)", r.name(), r.sourceType(), r.targetType(), r.bytes());
        listener.tensorDone(index, count, r, done[0]);
        return r;
    }

    private IOException rethrow(Throwable c) {
        if (c instanceof QuantException e && e.code() == ErrorCode.NON_FINITE_INPUT) {
            throw new QuantException(e.code(), input + ": " + e.getMessage(), e); // the quantizer names tensor, row, column
        }
        if (c instanceof IOException io) {
            return io;
        }
        if (c instanceof java.io.UncheckedIOException u) {
            return u.getCause(); // a worker thread's write failure (e.g. disk full)
        }
        if (c instanceof RuntimeException re) {
            throw re;
        }
        if (c instanceof Error err) {
            throw err;
        }
        throw new IllegalStateException(c);
    }

    private static void awaitQuietly(ExecutorService service) {
        try {
            service.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static TensorResult result(TensorStep s, double rmse, double rel, double seconds) {
        TensorPlan p = s.plan();
        String target = s.isCopy() ? p.targetType().lowerName() : s.quantizer().encoding().name();
        return new TensorResult(p.name(), p.shape(), s.source().type().lowerName(), target, p.rule(), p.note(),
                s.source().byteSize(), s.outputBytes(), rmse, rel, seconds);
    }

    private long predictPeak(List<TensorStep> steps) {
        long maxRow = steps.stream().mapToLong(s -> s.plan().shape().rowLength()).max().orElse(0);
        long chunk = TensorWriter.chunkRows(maxRow) * maxRow * 4L;
        // per worker: source floats, restored floats, encoded row buffers; plus plan and metadata
        return threads * (3 * chunk) + 16L * 1024 * 1024;
    }

    /** Configures a {@link QuantizeJob}. */
    public static final class Builder {
        private final QuantRegistry registry;
        private Path input;
        private Path output;
        private String plannerName = "llama-cpp";
        private Map<String, String> plannerOptions = Map.of();
        private Path importanceFile;
        private String importanceName;
        private int threads;
        private boolean dryRun;
        private boolean measureError = true;
        private String outputFormat = "gguf";
        private WriteOptions writeOptions = WriteOptions.SINGLE_FILE;
        private boolean keepSplit;
        private ProgressListener listener = ProgressListener.NONE;
        private boolean sync = true;
        private boolean resume;
        private Path hessianFile;
        private dev.quant4j.kernels.gptq.GptqConfig gptqConfig;
        private Boolean protect;
        private List<SuperWeights.SuperWeight> superWeights;
        private dev.quant4j.api.spi.QualityProbe qualityProbe;

        private Builder(QuantRegistry registry) {
            this.registry = registry;
        }

        public Builder input(Path p) {
            this.input = p;
            return this;
        }

        public Builder output(Path p) {
            this.output = p;
            return this;
        }

        /** The planner by registry name and its options in {@code key=value} form. */
        public Builder planner(String name, Map<String, String> options) {
            this.plannerName = name;
            this.plannerOptions = options;
            return this;
        }

        /** An importance matrix (llama.cpp imatrix, GGUF or legacy .dat). */
        public Builder importance(Path p) {
            this.importanceFile = p;
            return this;
        }

        /**
         * The name recorded for the importance matrix ({@code quantize.imatrix.file}) when the file read is a
         * derived one (e.g. rescaled for a transform, in a temporary file): the file the user gave.
         */
        public Builder importanceName(String name) {
            this.importanceName = name;
            return this;
        }

        /** Worker threads; 0 means every available core. */
        public Builder threads(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("threads must be >= 0, got " + n);
            }
            this.threads = n;
            return this;
        }

        /** Plan and size only; write nothing. */
        public Builder dryRun(boolean b) {
            this.dryRun = b;
            return this;
        }

        /** Measure the round-trip error of every tensor (costs one dequantization pass). */
        public Builder measureError(boolean b) {
            this.measureError = b;
            return this;
        }

        public Builder outputFormat(String name) {
            this.outputFormat = name;
            return this;
        }

        public Builder writeOptions(WriteOptions w) {
            this.writeOptions = w;
            return this;
        }

        /** Write one output shard per input shard (llama-quantize's --keep-split); overrides writeOptions. */
        public Builder keepSplit(boolean b) {
            this.keepSplit = b;
            return this;
        }

        public Builder listener(ProgressListener l) {
            this.listener = Objects.requireNonNull(l);
            return this;
        }

        /**
         * Force the output to storage before it is renamed into place, and each finished tensor before the
         * journal records it (default true). Off: faster, but a power loss (not a crash) may leave a complete-
         * looking file with lost data.
         */
        public Builder sync(boolean b) {
            this.sync = b;
            return this;
        }

        /**
         * Continue an interrupted run: when {@code OUTPUT.tmp} and its journal match this job's inputs and options,
         * tensors already written (their checksums re-checked) are kept; a journal that does not match is refused
         * with the reason. A failed or cancelled resumable run keeps its temp file and journal.
         */
        public Builder resume(boolean b) {
            this.resume = b;
            return this;
        }

        /**
         * GPTQ for every tensor the plan block-quantizes and {@code hessians} (a statistics file of this input
         * model, see docs/gptq.md) covers; the others are written as the planner says (RTN). A null file turns
         * GPTQ off.
         *
         * @param dampening fraction of the mean Hessian diagonal added to it (0.01)
         * @param actOrder  process blocks by decreasing Hessian diagonal mass
         */
        public Builder gptq(Path hessians, double dampening, boolean actOrder) {
            this.hessianFile = hessians;
            this.gptqConfig = new dev.quant4j.kernels.gptq.GptqConfig(dampening, 128, actOrder);
            return this;
        }

        /**
         * Keep super weights intact (default: on for the {@code importance} planner, off otherwise): every tensor
         * holding one is written at the cheapest type whose round trip keeps each within 1 %, and the report lists
         * each with its value before and after. Without {@link #superWeights} they are found data-free
         * ({@link SuperWeights#scan}, with the importance matrix when given).
         */
        public Builder protectSuperWeights(boolean b) {
            this.protect = b;
            return this;
        }

        /** The super weights to protect, e.g. found from activations on calibration text; null: detect data-free. */
        public Builder superWeights(List<SuperWeights.SuperWeight> weights) {
            this.superWeights = weights == null ? null : List.copyOf(weights);
            return this;
        }

        /**
         * A forward-pass probe over the input model that measuring planners may use (the {@code importance}
         * planner's {@code kld}/{@code blend} estimators); the caller owns and closes it. Null: none.
         */
        public Builder qualityProbe(dev.quant4j.api.spi.QualityProbe probe) {
            this.qualityProbe = probe;
            return this;
        }

        public QuantizeJob build() {
            return new QuantizeJob(this);
        }
    }
}
