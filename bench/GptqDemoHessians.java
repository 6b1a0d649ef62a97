import dev.quant4j.kernels.gptq.HessianFile;
import java.nio.file.Path;

/**
 * Writes a GPTQ statistics file for the generated demo model (quant demo --size 1G: TinyLlama shapes, dim 2048,
 * ffn 5632), which has no tokenizer to calibrate with: every weight gets the correlated Hessian
 * H_ij = s_i s_j 0.9^|i-j| (SPD), so the timing covers the real factorisation and sweep work.
 * Usage: java -cp quant-kernels.jar bench/GptqDemoHessians.java MODEL.gguf LAYERS OUT
 */
public class GptqDemoHessians {
    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int layers = Integer.parseInt(args[1]);
        double[] h2048 = toeplitz(2048);
        double[] h5632 = toeplitz(5632);
        var header = new HessianFile.Header(HessianFile.sha256(model), new byte[32], 256, 1, 256);
        try (var w = new HessianFile.Writer(Path.of(args[2]), header)) {
            for (int l = 0; l < layers; l++) {
                for (String t : new String[] {"attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up"}) {
                    w.add("blk." + l + "." + t + ".weight", -1, 2048, 256, h2048);
                }
                w.add("blk." + l + ".ffn_down.weight", -1, 5632, 256, h5632);
            }
            w.add("output.weight", -1, 2048, 256, h2048);
            w.commit();
        }
    }

    private static double[] toeplitz(int n) {
        double[] h = new double[n * n];
        for (int i = 0; i < n; i++) {
            double si = 0.5 + (i % 7) / 7.0;
            for (int j = 0; j < n; j++) {
                double sj = 0.5 + (j % 7) / 7.0;
                h[i * n + j] = si * sj * Math.pow(0.9, Math.abs(i - j));
            }
        }
        return h;
    }
}
