package dev.quant4j.kernels;

/**
 * Decides once whether the {@code jdk.incubator.vector} implementations in {@code dev.quant4j.kernels.vector}
 * are used. They are when the JVM runs with {@code --add-modules jdk.incubator.vector}, the platform offers at
 * least 8 float lanes, and {@code -Dquant4j.vector=false} is not set. Otherwise the scalar routines run; both
 * give identical bytes (the scalar ones are the oracle the vector ones are tested against).
 */
public final class Vectorization {
    private static final int LANES = detect();

    private Vectorization() {
    }

    /** True when the vector implementations are in use. */
    public static boolean enabled() {
        return LANES > 0;
    }

    /** Float lanes of the vector implementations (0 when they are not in use). */
    public static int lanes() {
        return LANES;
    }

    /** One line for logs and reports. */
    public static String describe() {
        return enabled() ? "jdk.incubator.vector, " + LANES + " float lanes"
                : "scalar (run with --add-modules jdk.incubator.vector for the vectorized searches)";
    }

    private static int detect() {
        if ("false".equalsIgnoreCase(System.getProperty("quant4j.vector"))) {
            return 0;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return 0;
        }
        try {
            int lanes = dev.quant4j.kernels.vector.VectorSupport.floatLanes();
            return lanes >= 8 ? lanes : 0;
        } catch (LinkageError e) {
            return 0;
        }
    }
}
