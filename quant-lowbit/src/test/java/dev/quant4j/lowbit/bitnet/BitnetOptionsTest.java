package dev.quant4j.lowbit.bitnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.TensorEncoding;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BitnetOptionsTest {
    @SuppressWarnings("unchecked")
    private static final QuantizerProvider<BitnetOptions> PROVIDER = (QuantizerProvider<BitnetOptions>)
            QuantRegistry.load(BitnetOptionsTest.class.getClassLoader()).quantizer("bitnet-absmean");

    @Test
    void discoveredWithDefaults() {
        var d = PROVIDER.descriptor();
        assertTrue(d.has(Capability.DEQUANTIZE) && d.has(Capability.ROW_INDEPENDENT));
        assertTrue(!d.has(Capability.GGML_EXACT) && d.has(Capability.USES_CALIBRATION)); // optimize-scales
        BitnetOptions o = PROVIDER.defaultOptions();
        assertEquals(BitnetOptions.defaults(), o);
        assertEquals(TernaryLayout.TQ2_0, o.layout());
        assertEquals(256, o.blockSize());
        assertEquals(List.of("all"), o.tensors());
        assertEquals(KeptPrecision.F16, o.keptPrecision());
        assertEquals(new TensorEncoding.Ggml(DType.TQ2_0), PROVIDER.create(o).encoding());
    }

    @Test
    void parsesEveryOption() {
        BitnetOptions o = PROVIDER.parseOptions(Map.of("layout", "tq1_0", "block-size", "256",
                "tensors", "ffn_(up|down),attn_q", "kept-precision", "bf16"));
        assertEquals(TernaryLayout.TQ1_0, o.layout());
        assertEquals(List.of("ffn_(up|down)", "attn_q"), o.tensors());
        assertEquals(KeptPrecision.BF16, o.keptPrecision());
        assertEquals(new TensorEncoding.Ggml(DType.TQ1_0), PROVIDER.create(o).encoding());
        assertEquals(List.of("experts-only"), PROVIDER.parseOptions(Map.of("tensors", "experts-only")).tensors());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "block-size|128|block-size",
        "block-size|512|block-size",
        "layout|q4_0|layout",
        "kept-precision|q8_0|kept-precision",
        "tensors|all,experts-only|tensors",
        "tensors|ffn_(up|tensors",
    })
    void refusesInvalidValuesNamingTheField(String key, String value, String field) {
        QuantException e = assertThrows(QuantException.class, () -> PROVIDER.parseOptions(Map.of(key, value)));
        assertEquals(ErrorCode.INVALID_OPTION, e.code());
        assertTrue(e.getMessage().contains("'" + field + "'"), e.getMessage());
    }
}
