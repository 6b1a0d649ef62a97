package dev.quant4j.safetensors.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.safetensors.io.SharedData;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DeepSeek-style FP8 checkpoints: {@code W.weight} in F8_E4M3 times {@code W.weight_scale_inv}, one multiplier per
 * {@code weight_block_size} block, as convert_hf_to_gguf's dequant_simple computes it — checked against values
 * worked out by hand (E4M3: 0x38 = 1.0, 0x40 = 2.0, 0x30 = 0.5, 0x3C = 1.5, 0x44 = 3.0, 0xB8 = −1.0,
 * 0x01 = 2^−9), with 2×2 blocks so that partial blocks at the edges are covered too.
 */
class Fp8ScaleInvTest {
    private static final String CONFIG = """
            {"architectures": ["LlamaForCausalLM"], "hidden_size": 4, "intermediate_size": 3, "num_hidden_layers": 1,
             "num_attention_heads": 1, "num_key_value_heads": 1, "vocab_size": 512, "rms_norm_eps": 1e-05,
             "quantization_config": {"quant_method": "fp8", "fmt": "e4m3", "weight_block_size": [2, 2]}}
            """;

    @TempDir
    Path dir;

    @Test
    void blockScaledWeightsAreDequantizedOnRead() throws Exception {
        write(floats(0.5f, 2, 4, 0.25f, 8, -1));
        try (HfModelReader r = HfModelReader.open(dir)) {
            assertEquals(List.of("blk.0.ffn_down.weight", "blk.0.attn_q.weight"), // HF name order: mlp before self_attn
                    r.tensors().stream().map(TensorInfo::name).toList(), "the scales are consumed, not tensors");
            // ffn_down, HF [3 rows, 5 cols]; scales [[0.5, 2, 4], [0.25, 8, -1]] over 2×2 blocks
            assertArrayEquals(new float[] {
                    0.5f, -0.5f, 2, 2, 4,               // row 0: 0xB8 = -1.0 at column 1
                    0.5f, 0.5f, 0.00390625f, 2, 4,       // row 1: 0x01 = 2^-9 at column 2, × 2
                    0.25f, 0.25f, 8, 8, -3}, read(r, "blk.0.ffn_down.weight")); // row 2: 0x44 = 3.0 at column 4, × -1
            // attn_q, HF rows 1.0, 2.0, 0.5, 1.5 × scales [[1, 10], [100, 1000]], then llama's Q permutation
            // (1 head of 4 rows: GGUF row r from HF row 0, 2, 1, 3)
            assertArrayEquals(new float[] {
                    1, 1, 10, 10,
                    50, 50, 500, 500,
                    2, 2, 20, 20,
                    150, 150, 1500, 1500}, read(r, "blk.0.attn_q.weight"));
        }
    }

    @Test
    void scaleOfTheWrongShapeNamesTheTensor() throws Exception {
        write(floats(0.5f, 2, 4, 0.25f, 8)); // 5 scales for ffn_down's 2×3 blocks
        CorruptFormatException e = assertThrows(CorruptFormatException.class, () -> HfModelReader.open(dir).close());
        assertTrue(e.getMessage().contains("model.layers.0.mlp.down_proj.weight_scale_inv")
                && e.getMessage().contains("expected [2, 3]"), e.getMessage());
    }

    private static float[] read(HfModelReader r, String name) {
        TensorInfo t = r.tensors().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        assertEquals(DType.F32, t.type());
        TensorView v = r.view(t);
        float[] out = new float[(int) t.shape().elementCount()];
        v.readRows(0, (int) t.shape().rows(), out, 0);
        return out;
    }

    private void write(byte[] downScales) throws Exception {
        Files.copy(SharedData.require("reference/hf/tiny-shakespeare-256-f32/tokenizer.model"), dir.resolve("tokenizer.model"));
        Files.writeString(dir.resolve("config.json"), CONFIG);
        byte[] down = new byte[15];
        java.util.Arrays.fill(down, (byte) 0x38);
        down[1] = (byte) 0xB8;
        down[5 + 2] = 0x01;
        down[10 + 4] = 0x44;
        byte[] q = new byte[16];
        byte[] rowValues = {0x38, 0x40, 0x30, 0x3C};
        for (int i = 0; i < 16; i++) {
            q[i] = rowValues[i / 4];
        }
        String downScaleShape = downScales.length == 24 ? "[2,3]" : "[" + downScales.length / 4 + "]";
        safetensors(dir.resolve("model.safetensors"),
                new String[] {"model.layers.0.mlp.down_proj.weight", "F8_E4M3", "[3,5]"}, down,
                new String[] {"model.layers.0.mlp.down_proj.weight_scale_inv", "F32", downScaleShape}, downScales,
                new String[] {"model.layers.0.self_attn.q_proj.weight", "F8_E4M3", "[4,4]"}, q,
                new String[] {"model.layers.0.self_attn.q_proj.weight_scale_inv", "F32", "[2,2]"}, floats(1, 10, 100, 1000));
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    /** Pairs of {name, dtype, shape} and data, in name order. */
    private static void safetensors(Path file, Object... entries) throws Exception {
        StringBuilder h = new StringBuilder("{");
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (int i = 0; i < entries.length; i += 2) {
            String[] t = (String[]) entries[i];
            byte[] d = (byte[]) entries[i + 1];
            h.append(i == 0 ? "" : ",").append('"').append(t[0]).append("\":{\"dtype\":\"").append(t[1])
                    .append("\",\"shape\":").append(t[2]).append(",\"data_offsets\":[").append(data.size()).append(',')
                    .append(data.size() + d.length).append("]}");
            data.write(d);
        }
        byte[] header = h.append('}').toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
        out.write(header);
        data.writeTo(out);
        Files.write(file, out.toByteArray());
    }
}
