package dev.quant4j.integer.ggml;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.DType;

/**
 * The registered ggml quantizer providers of quant-int, one nested class per type (ServiceLoader needs a
 * concrete class with a public no-argument constructor for each).
 */
public final class GgmlProviders {
    private GgmlProviders() {
    }

    @AutoService(QuantizerProvider.class)
    public static final class F32 extends GgmlQuantizerProvider {
        public F32() {
            super(FloatCodec.F32);
        }
    }

    @AutoService(QuantizerProvider.class)
    public static final class F16 extends GgmlQuantizerProvider {
        public F16() {
            super(FloatCodec.F16);
        }
    }

    @AutoService(QuantizerProvider.class)
    public static final class BF16 extends GgmlQuantizerProvider {
        public BF16() {
            super(FloatCodec.BF16);
        }
    }

    @AutoService(QuantizerProvider.class)
    public static final class Q4_0 extends GgmlQuantizerProvider {
        public Q4_0() {
            super(new SymmetricLegacyCodec(DType.Q4_0));
        }
    }

    @AutoService(QuantizerProvider.class)
    public static final class Q4_1 extends GgmlQuantizerProvider {
        public Q4_1() {
            super(new AffineLegacyCodec(DType.Q4_1));
        }
    }

    @AutoService(QuantizerProvider.class)
    public static final class Q5_0 extends GgmlQuantizerProvider {
        public Q5_0() {
            super(new SymmetricLegacyCodec(DType.Q5_0));
        }
    }

    @AutoService(QuantizerProvider.class)
    public static final class Q5_1 extends GgmlQuantizerProvider {
        public Q5_1() {
            super(new AffineLegacyCodec(DType.Q5_1));
        }
    }

    @AutoService(QuantizerProvider.class)
    public static final class Q8_0 extends GgmlQuantizerProvider {
        public Q8_0() {
            super(Q8Codec.Q8_0);
        }
    }

    @AutoService(QuantizerProvider.class)
    public static final class Q8_1 extends GgmlQuantizerProvider {
        public Q8_1() {
            super(Q8Codec.Q8_1);
        }
    }

    @AutoService(QuantizerProvider.class)
    public static final class Q3_K extends GgmlQuantizerProvider {
        public Q3_K() {
            super(new Q3_KCodec());
        }
    }

    @AutoService(QuantizerProvider.class)
    public static final class Q4_K extends GgmlQuantizerProvider {
        public Q4_K() {
            super(new Q45_KCodec(DType.Q4_K));
        }
    }

    @AutoService(QuantizerProvider.class)
    public static final class Q5_K extends GgmlQuantizerProvider {
        public Q5_K() {
            super(new Q45_KCodec(DType.Q5_K));
        }
    }

    @AutoService(QuantizerProvider.class)
    public static final class Q6_K extends GgmlQuantizerProvider {
        public Q6_K() {
            super(new Q6_KCodec());
        }
    }

    @AutoService(QuantizerProvider.class)
    public static final class Q8_K extends GgmlQuantizerProvider {
        public Q8_K() {
            super(new Q8_KCodec());
        }
    }
}
