package dev.quant4j.eval.model;

/**
 * Our logits against a reference, row by row ({@code vocab} wide). A position whose argmax differs is a
 * near-tie when the reference's own logit for our argmax is within {@link #NEAR_TIE} of the reference maximum:
 * a gap no larger than the per-logit difference the tests allow (0.05), which llama.cpp's F16 rounding alone
 * can flip.
 */
record LogitsComparison(double maxDiff, double meanDiff, int argmaxMismatches, int nearTies, String detail) {
    static final double NEAR_TIE = 0.05;

    static LogitsComparison of(float[] ours, float[] ref, int vocab) {
        if (ours.length != ref.length) {
            throw new AssertionError(ours.length + " logits, reference has " + ref.length);
        }
        double max = 0;
        double sum = 0;
        int mismatches = 0;
        int ties = 0;
        StringBuilder detail = new StringBuilder();
        for (int r = 0; r < ref.length / vocab; r++) {
            int a = argmax(ours, r * vocab, vocab);
            int b = argmax(ref, r * vocab, vocab);
            if (a != b) {
                double gap = ref[r * vocab + b] - ref[r * vocab + a];
                if (gap < NEAR_TIE) {
                    ties++;
                } else {
                    mismatches++;
                }
                detail.append(String.format(" row %d: ours %d, ref %d (ref gap %.4g);", r, a, b, gap));
            }
        }
        for (int i = 0; i < ref.length; i++) {
            double d = Math.abs(ours[i] - ref[i]);
            max = Math.max(max, d);
            sum += d;
        }
        return new LogitsComparison(max, sum / ref.length, mismatches, ties, detail.toString());
    }

    static int argmax(float[] x, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (x[off + i] > x[off + best]) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return String.format("max |diff| %.3g, mean %.3g, argmax mismatches %d, near-ties %d%s", maxDiff, meanDiff,
                argmaxMismatches, nearTies, detail);
    }
}
