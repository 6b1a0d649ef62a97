package dev.quant4j.kernels;

/**
 * Whether the scale searches run their fast form yet: until the JIT has compiled the vector search its
 * {@link WarmGate} keeps most work on the scalar form, about nine times slower. Schedulers ask this to put
 * other work first meanwhile; results never depend on it.
 */
public final class SearchWarmth {
    private SearchWarmth() {
    }

    /** {@code make_qx_quants} ({@link QxBatch}: Q6_K, Q3_K, the legacy types with importance). */
    public static boolean qx() {
        return !Vectorization.enabled() || Gates.QX.isOpen();
    }

    /** {@code make_qkx2/3_quants} ({@link QkxBatch}: Q4_K, Q5_K, Q2_K, Q4_1/Q5_1 with importance). */
    public static boolean qkx() {
        return !Vectorization.enabled() || Gates.QKX.isOpen();
    }
}
