package dev.quant4j.gguf.plan;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.Plan;
import dev.quant4j.api.spi.PlanRequest;
import dev.quant4j.api.spi.Planner;
import dev.quant4j.api.spi.TensorPlan;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plans a model exactly as llama.cpp's llama-quantize would quantize it (shared/spec/mixtures.md): which tensors
 * are quantized, to which type, in which order, and the metadata written. Refusals are llama-quantize's,
 * made before any work. Stateless: every {@link #plan} call builds its own counters.
 */
final class LlamaCppPlanner implements Planner {
    /** Start of the warning a dry run gives instead of refusing for want of an imatrix. */
    static final String IMATRIX_WARNING = "actually completing this quantization will require an imatrix";
    /** Middle of the warning that counts shape fallbacks ("K of N tensor(s) required ..."). */
    static final String FALLBACK_WARNING = "tensor(s) required fallback quantization";

    private final PlanSettings settings;

    private final String quantizer;

    LlamaCppPlanner(PlanSettings settings) {
        this(settings, null);
    }

    LlamaCppPlanner(PlanSettings settings, String quantizer) {
        this.settings = settings;
        this.quantizer = quantizer;
    }

    @Override
    public Plan plan(PlanRequest request) {
        ModelFacts facts = ModelFacts.read(request.metadata(), settings.overrides());
        ImatrixView imatrix = ImatrixView.of(request.calibration(), settings.includeWeights(),
                settings.excludeWeights());
        List<TensorInfo> loaderOrder = LoaderOrder.sort(request.tensors());
        LayerPruner pruner = new LayerPruner(settings.pruneLayers());
        Map<String, String> originalName = new HashMap<>();
        List<TensorInfo> kept = new ArrayList<>();
        for (TensorInfo t : loaderOrder) {
            String renamed = pruner.rename(t.name());
            if (renamed != null) {
                originalName.put(renamed, t.name());
                kept.add(new TensorInfo(renamed, t.type(), t.shape(), t.offset(), t.byteSize()));
            }
        }
        if (settings.keepSplit()) {
            Map<String, Integer> inputIndex = new HashMap<>();
            for (int i = 0; i < request.tensors().size(); i++) {
                inputIndex.put(request.tensors().get(i).name(), i);
            }
            kept.sort(Comparator.comparingInt(t -> inputIndex.get(originalName.get(t.name()))));
        }

        List<String> warnings = new ArrayList<>();
        List<Decision> decisions = decide(kept, facts, imatrix, warnings);
        long fallbacks = decisions.stream().filter(Decision::fallback).count();
        if (fallbacks > 0) {
            warnings.add(fallbacks + " of " + request.tensors().size() + " " + FALLBACK_WARNING);
        }
        decisions = checkImatrix(decisions, imatrix, originalName, warnings);
        checkSources(decisions);
        checkInstalled(decisions, request);

        Metadata metadata = metadata(request, facts, imatrix, loaderOrder, pruner);
        List<TensorPlan> plans = decisions.stream().map(d -> new TensorPlan(d.name(), d.source().shape(),
                d.source().type(), d.target(), d.converts() ? quantizerFor(d.target()) : null, Map.of(), d.rule(),
                d.note())).toList();
        Set<String> withheld = new TreeSet<>();
        request.calibration().ifPresent(c -> c.tensors().keySet().stream()
                .filter(name -> !imatrix.entries().containsKey(name)).forEach(withheld::add));
        return new Plan(metadata, plans, warnings, withheld);
    }

    /** llama-quantize's preliminary pass: every tensor's type, in order, with its refusals. */
    private List<Decision> decide(List<TensorInfo> tensors, ModelFacts facts, ImatrixView imatrix,
                                  List<String> warnings) {
        FileTypeSpec ft = settings.fileType();
        boolean tied = tensors.stream().noneMatch(t -> t.name().equals("output.weight"));
        int nAttentionWv = (int) tensors.stream().filter(t -> Category.of(t.name()).isAttnVLike()).count();
        MixtureRules rules = ft.hasMixtureRules()
                ? new MixtureRules(ft.ftype(), facts, nAttentionWv, imatrix.present(), tied,
                        settings.outputTensorType())
                : null;
        TypeSelector selector = new TypeSelector(settings, rules);
        List<Decision> out = new ArrayList<>();
        String firstNeedingImatrix = null;
        for (TensorInfo t : tensors) {
            String excluded = Quantizability.excluded(t.name(), t.shape(), ft.isCopy(), settings.leaveOutputTensor());
            if (excluded != null) {
                out.add(new Decision(t, t.name(), false, t.type(), "not quantized: " + excluded, "", false, false));
                continue;
            }
            Selection s = selector.select(t.name(), t.shape(), Category.of(t.name()));
            Decision d = new Decision(t, t.name(), true, s.type(), s.rule(), s.note(), s.fallback(), s.explicit());
            if (s.explicit() && !ShapeFallback.fits(s.type(), t.shape().rowLength())) {
                d = explicitMisfit(d);
            }
            if (!imatrix.present() && requiresImatrix(t.name(), d.target())) {
                if (!settings.dryRun()) {
                    throw new QuantException(ErrorCode.MISSING_CALIBRATION, "this quantization requires an imatrix: "
                            + "tensor '" + t.name() + "' would be written as " + d.target().ggmlName()
                            + "; give an importance matrix (llama-imatrix output), or choose a file type or "
                            + "tensor-type that does not need one");
                }
                firstNeedingImatrix = firstNeedingImatrix == null
                        ? "tensor '" + t.name() + "' as " + d.target().ggmlName() : firstNeedingImatrix;
            }
            out.add(d);
        }
        if (firstNeedingImatrix != null) {
            warnings.add(IMATRIX_WARNING + " (first: " + firstNeedingImatrix + ")");
        }
        return out;
    }

    /**
     * An explicit output/token-embedding type whose block does not divide the rows: llama-quantize does not
     * correct it and fails writing; its dry run passes it silently.
     */
    private Decision explicitMisfit(Decision d) {
        String why = "row length " + d.source().shape().rowLength() + " is not a multiple of "
                + d.target().blockSize() + " required by " + d.target().ggmlName();
        if (!settings.dryRun()) {
            throw new QuantException(ErrorCode.INVALID_PLAN, "tensor '" + d.name() + "': " + why + " (chosen by "
                    + d.rule() + "); choose a type whose block size divides " + d.source().shape().rowLength());
        }
        return d.withNote(why + "; llama-quantize would fail writing it");
    }

    /** Tensors that llama-quantize will not write without importance data (mixtures.md section 7). */
    private boolean requiresImatrix(String name, DType target) {
        if (Category.isTokenEmbedding(name) || name.equals("output.weight")) {
            return false;
        }
        return switch (target) {
            case IQ3_XXS, IQ2_XXS, IQ2_XS, IQ2_S, IQ1_M, IQ1_S -> true;
            case Q2_K -> settings.fileType().ftype() == Ftype.Q2_K_S;
            default -> false;
        };
    }

    /**
     * With an imatrix, each converted tensor looks its entry up by its original name: a missing entry is fatal
     * for types that need one, a size other than {@code ne0 * ne2} is fatal except for token embeddings.
     * A dry run checks neither.
     */
    private List<Decision> checkImatrix(List<Decision> decisions, ImatrixView imatrix, Map<String, String> original,
                                        List<String> warnings) {
        if (!imatrix.present()) {
            if (imatrix.stats() != null) {
                warnings.add("imatrix " + imatrix.stats().source() + ": include-weights/exclude-weights left no "
                        + "entry, planning as without an imatrix");
            }
            return decisions;
        }
        List<Decision> out = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Decision d : decisions) {
            if (!d.converts()) {
                out.add(d);
                continue;
            }
            var entry = imatrix.entry(original.get(d.name()));
            long expected = d.source().shape().rowLength() * d.source().shape().ne(2);
            if (entry == null) {
                if (!settings.dryRun() && requiresImatrix(d.name(), d.target())) {
                    throw new QuantException(ErrorCode.MISSING_CALIBRATION, "missing importance matrix for tensor '"
                            + d.name() + "' in a very low-bit quantization (" + d.target().ggmlName()
                            + "); the imatrix " + imatrix.stats().source() + " has no entry for it");
                }
                missing.add(d.name());
                d = d.withNote("no imatrix entry");
            } else if ((long) entry.columns() * entry.slices() != expected) {
                String what = "imatrix size " + (long) entry.columns() * entry.slices()
                        + " is different from tensor size " + expected;
                if (!Category.isTokenEmbedding(d.name()) && !settings.dryRun()) {
                    throw new QuantException(ErrorCode.INVALID_PLAN, what + " for " + d.name()
                            + "; the imatrix " + imatrix.stats().source() + " was made for another model");
                }
                d = d.withNote(what + ": imatrix not used");
            }
            out.add(d);
        }
        if (!missing.isEmpty()) {
            warnings.add("imatrix " + imatrix.stats().source() + " has no entry for " + missing.size()
                    + " converted tensor(s), quantized without importance: " + abbreviate(missing));
        }
        return out;
    }

    /** Converting from a quantized or integer type needs dequantization; llama-quantize gates the former. */
    private void checkSources(List<Decision> decisions) {
        if (settings.dryRun()) {
            return;
        }
        for (Decision d : decisions) {
            DType src = d.source().type();
            if (!d.converts() || src == DType.F32 || src == DType.F16 || src == DType.BF16) {
                continue;
            }
            if (!src.isQuantized()) {
                throw new QuantException(ErrorCode.INVALID_PLAN, "tensor '" + d.name() + "': cannot dequantize/convert "
                        + "tensor type " + src.ggmlName() + " to " + d.target().ggmlName()
                        + "; keep it with tensor-type '" + d.name() + "=" + src.ggmlName() + "'");
            }
            if (!settings.allowRequantize()) {
                throw new QuantException(ErrorCode.ALREADY_QUANTIZED, "tensor '" + d.name() + "': requantizing from "
                        + "type " + src.ggmlName() + " is disabled; pass --allow-requantize (planner option allow-requantize=true) to dequantize it and "
                        + "quantize again to " + d.target().ggmlName() + " (quality suffers), or start from F16/F32");
            }
        }
    }

    /** The registry name writing {@code type}: the {@code quantizer} option for the file type's default type. */
    private String quantizerFor(DType type) {
        return quantizer != null && type == settings.fileType().defaultType() ? quantizer : type.lowerName();
    }

    /** Every type to write (and every quantized source to read back) needs an installed quantizer. */
    private void checkInstalled(List<Decision> decisions, PlanRequest request) {
        Map<DType, String> missing = new EnumMap<>(DType.class);
        for (Decision d : decisions) {
            if (!d.converts()) {
                continue;
            }
            if (!request.installedQuantizers().contains(quantizerFor(d.target()))) {
                missing.putIfAbsent(d.target(), "to write tensor '" + d.name() + "'");
            }
            DType src = d.source().type();
            if (src.isQuantized() && !request.installedQuantizers().contains(src.lowerName())) {
                missing.putIfAbsent(src, "to dequantize tensor '" + d.name() + "'");
            }
        }
        if (!missing.isEmpty()) {
            List<String> what = missing.entrySet().stream().map(e -> e.getKey().lowerName() + " (" + e.getValue() + ")")
                    .toList();
            throw new QuantException(ErrorCode.UNSUPPORTED_TYPE, "the plan needs quantizers that are not installed: "
                    + what + ". Available: " + request.installedQuantizers().stream().sorted().toList()
                    + ". Install the plugin providing them or choose another file type / tensor-type");
        }
    }

    private Metadata metadata(PlanRequest request, ModelFacts facts, ImatrixView imatrix, List<TensorInfo> loaderOrder,
                              LayerPruner pruner) {
        FileTypeSpec ft = settings.fileType();
        long fileType = ft.isCopy() ? copyFileType(request.metadata(), loaderOrder) : ft.ftype().id();
        OutputMetadata out = new OutputMetadata(request.metadata(), fileType);
        for (KvOverride o : settings.overrides()) {
            out.set(o.key(), o.written());
        }
        if (imatrix.present()) {
            out.imatrix(imatrix.stats().source(), imatrix.stats().datasets(), imatrix.entries().size(),
                    imatrix.stats().chunkCount());
        }
        if (!settings.pruneLayers().isEmpty()) {
            out.set(facts.arch() + ".block_count", MetaValue.u32(pruner.blockCount()));
        }
        return out.build();
    }

    /**
     * COPY writes the input's file type as the loader reads it: {@code general.file_type} (overrides applied),
     * else guessed from the most frequent tensor type and marked as guessed.
     */
    private long copyFileType(Metadata input, List<TensorInfo> loaderOrder) {
        Metadata effective = input;
        for (KvOverride o : settings.overrides()) {
            effective = effective.with(o.key(), o.loaded());
        }
        var declared = effective.get(OutputMetadata.FILE_TYPE);
        if (declared.isPresent() && declared.get() instanceof MetaValue.Int i) {
            return i.value() & 0xFFFF_FFFFL;
        }
        Map<DType, Integer> counts = new EnumMap<>(DType.class);
        DType top = DType.F32;
        int topCount = 0;
        for (TensorInfo t : loaderOrder) {
            int c = counts.merge(t.type(), 1, Integer::sum);
            if (c > topCount) {
                topCount = c;
                top = t.type();
            }
        }
        return Ftype.guessedFrom(top);
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 5 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 5)) + " and " + (names.size() - 5) + " more";
    }
}
