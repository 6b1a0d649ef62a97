package dev.quant4j.importance.gptq;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.kernels.gptq.GptqConfig;
import dev.quant4j.kernels.gptq.GptqSolver;
import dev.quant4j.kernels.gptq.HessianFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The statistics file's index and the factorised Hessians of the tensors being written. A factorisation is
 * {@code O(cols³)} and every row chunk of a tensor needs it, so it is computed once by the first chunk (the others
 * wait on it) and kept for the last {@value #KEEP} distinct Hessians: bounded memory however many tensors one
 * quantizer writes. Memos are keyed by the Hessian's content (SHA-256), so weights that read the same input —
 * {@code attn_q/k/v}, {@code ffn_gate/up} — share one factorisation. The file is opened only to index it and to
 * read one Hessian, never held open.
 */
final class FactorCache {
    /** Memos kept (names and contents): the writer works on one tensor at a time; more cover overlapping writers. */
    static final int KEEP = 6;

    /** Where a tensor's rows find their Hessian: dense (expert -1), per expert, or not covered. */
    record Layout(boolean covered, boolean dense, long rowsPerExpert) {
        int expertOf(long row) {
            return dense || !covered ? -1 : Math.toIntExact(row / rowsPerExpert);
        }

        long endOf(int expert) {
            return expert < 0 ? Long.MAX_VALUE : (expert + 1) * rowsPerExpert;
        }
    }

    private final Path file;
    private final int unit;
    private final GptqConfig config;
    private Set<String> keys; // guarded by this
    private final Map<String, Memo> memos = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Memo> eldest) {
            return size() > KEEP;
        }
    };

    FactorCache(Path file, int unit, GptqConfig config) {
        this.file = file;
        this.unit = unit;
        this.config = config;
    }

    Layout layout(TensorView src) {
        Set<String> k = keys();
        if (k.contains(src.name())) {
            return new Layout(true, true, src.rows());
        }
        if (k.contains(src.name() + "#0")) {
            long experts = src.shape().ne(src.shape().rank() - 1);
            return new Layout(true, false, src.rows() / experts);
        }
        GptqQuantizer.log(src.name(), "no Hessian in " + file.getFileName());
        return new Layout(false, true, src.rows());
    }

    /** The solver of {@code src}'s expert (-1 dense), or null when that expert saw no tokens. */
    GptqSolver solver(TensorView src, int expert) {
        Memo byName = memo(src.name() + "#" + expert);
        return byName.get(() -> {
            double[] hessian = read(src, expert);
            if (hessian == null) {
                return null;
            }
            Memo byContent = memo(contentKey(hessian));
            return byContent.get(() -> {
                try {
                    return GptqSolver.prepare(hessian, (int) src.rowLength(), unit, config);
                } catch (IllegalArgumentException e) {
                    throw new QuantException(ErrorCode.INVALID_PLAN, "tensor '" + src.name() + "': " + e.getMessage());
                }
            });
        });
    }

    private Memo memo(String key) {
        synchronized (memos) {
            return memos.computeIfAbsent(key, x -> new Memo());
        }
    }

    /** The Hessian of {@code src}'s expert, or null when it saw no tokens. */
    private double[] read(TensorView src, int expert) {
        long cols = src.rowLength();
        try (HessianFile h = HessianFile.open(file)) {
            double[] hessian = h.hessian(src.name(), expert);
            if (hessian == null || h.samples(src.name(), expert) == 0) {
                GptqQuantizer.log(src.name() + (expert < 0 ? "" : " expert " + expert), "no tokens");
                return null;
            }
            if (hessian.length != cols * cols) {
                throw GptqQuantizer.mismatch(src.name(), file, (int) Math.round(Math.sqrt(hessian.length)), cols);
            }
            return hessian;
        } catch (IOException e) {
            throw new QuantException(ErrorCode.IO, "gptq: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String contentKey(double[] h) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);
            for (int i = 0; i < h.length; ) {
                buf.clear();
                for (; i < h.length && buf.remaining() >= 8; i++) {
                    buf.putDouble(h[i]);
                }
                buf.flip();
                md.update(buf);
            }
            return "sha256:" + java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private synchronized Set<String> keys() {
        if (keys == null) {
            try (HessianFile h = HessianFile.open(file)) {
                keys = Set.copyOf(h.keys());
            } catch (IOException e) {
                throw new QuantException(ErrorCode.IO, "gptq: cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return keys;
    }

    /** One factorisation, computed by the first caller while the others wait. */
    private static final class Memo {
        private boolean done;
        private GptqSolver value;

        synchronized GptqSolver get(java.util.function.Supplier<GptqSolver> compute) {
            if (!done) {
                value = compute.get();
                done = true;
            }
            return value;
        }
    }
}
