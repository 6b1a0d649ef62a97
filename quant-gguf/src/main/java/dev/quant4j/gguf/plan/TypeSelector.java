package dev.quant4j.gguf.plan;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;

/**
 * The selection pipeline for one quantizable tensor (mixtures.md section 3): explicit token-embedding and output
 * types first, then for quantized defaults the first matching {@code tensor-type} pattern or the mixture rules
 * (unless pure), then the shape fallback. Not thread safe (the rules count layers).
 */
final class TypeSelector {
    private final PlanSettings settings;
    private final MixtureRules rules;

    TypeSelector(PlanSettings settings, MixtureRules rules) {
        this.settings = settings;
        this.rules = rules;
    }

    Selection select(String name, Shape shape, Category cat) {
        if (settings.tokenEmbeddingType() != null && cat == Category.TOKEN_EMBD) {
            return new Selection(settings.tokenEmbeddingType(), "token-embedding-type", "", false, true);
        }
        if (settings.outputTensorType() != null && cat == Category.OUTPUT) {
            return new Selection(settings.outputTensorType(), "output-tensor-type", "", false, true);
        }
        FileTypeSpec ft = settings.fileType();
        DType t = ft.defaultType();
        if (!t.isQuantized()) {
            return new Selection(t, "file type " + ft, "", false, false);
        }
        Choice c = manual(name);
        if (c == null) {
            c = settings.pure() || !ft.hasMixtureRules()
                    ? new Choice(t, settings.pure() ? "pure" : "single type " + t.ggmlName())
                    : rules.apply(t, name, shape, cat);
        }
        return fallback(name, shape.rowLength(), c);
    }

    private Choice manual(String name) {
        for (TensorTypeOverride o : settings.tensorTypes()) {
            if (o.matches(name)) {
                return new Choice(o.type(), "tensor-type " + o.text());
            }
        }
        return null;
    }

    /** Section 5, plus our deviation: where upstream has no fallback, F16 unless strict-shapes. */
    private Selection fallback(String name, long rowLength, Choice c) {
        DType t = c.type();
        if (ShapeFallback.fits(t, rowLength)) {
            return new Selection(t, c.rule(), "", false, false);
        }
        String why = "row length " + rowLength + " is not a multiple of " + t.blockSize() + " (required by "
                + t.ggmlName() + ")";
        DType fb = ShapeFallback.of(t);
        if (fb == null) {
            if (settings.strictShapes()) {
                throw new QuantException(ErrorCode.INVALID_PLAN, "no tensor type fallback is defined for type "
                        + t.ggmlName() + " (tensor '" + name + "': " + why + "); choose another type for it with "
                        + "tensor-type, or drop strict-shapes to write it as f16");
            }
            return new Selection(DType.F16, c.rule() + ", fallback", why + "; llama-quantize defines no fallback "
                    + "for " + t.ggmlName() + " and would stop here: written as f16 instead", true, false);
        }
        if (!ShapeFallback.fits(fb, rowLength)) {
            return new Selection(DType.F16, c.rule() + ", fallback", why + "; must use f16 due to unusual shape",
                    true, false);
        }
        return new Selection(fb, c.rule() + ", fallback", why + ": falling back to " + fb.ggmlName(), true, false);
    }
}
