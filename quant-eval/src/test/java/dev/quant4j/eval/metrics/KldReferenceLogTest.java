package dev.quant4j.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quant4j.tck.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * llama-perplexity's own KL-divergence logs (tiny-shakespeare-256, 273 chunks of 256 = 34,671 scored tokens): the
 * sums behind the printed PPL(Q) ± u, PPL(base) ± u and correlation are reconstructed, and our formulas must then
 * print the log's derived lines (ln ratio, ratio, difference with their uncertainties) to the printed precision.
 */
class KldReferenceLogTest {
    private static final Pattern PM = Pattern.compile(":\\s+(-?\\d+\\.\\d+) ± +(\\d+\\.\\d+)");

    @ParameterizedTest
    @ValueSource(strings = {"Q8_0", "Q4_K_M", "Q2_K", "IQ4_XS", "IQ2_XXS-imat"})
    void derivedPerplexityStatisticsFollowFromThePrintedOnes(String q) throws IOException {
        List<String> log = Files.readAllLines(SharedData.require("reference/eval/kld/tiny-shakespeare-256-" + q + ".kld.log"));
        double[] pplQ = pm(line(log, "Mean PPL(Q) "));
        double[] pplB = pm(line(log, "Mean PPL(base) "));
        String corLine = line(log, "Cor(ln(PPL(Q)), ln(PPL(base))):");
        double cor = Double.parseDouble(corLine.replaceAll(".*:\\s*(-?[\\d.]+)%.*", "$1")) / 100;
        long n = 273L * 127;
        double mq = Math.log(pplQ[0]);
        double sq = pplQ[1] / pplQ[0];
        double mb = Math.log(pplB[0]);
        double sb = pplB[1] / pplB[0];
        double sumQ = n * mq;
        double sumQ2 = n * (sq * sq * (n - 1) + mq * mq);
        double sumB = n * mb;
        double sumB2 = n * (sb * sb * (n - 1) + mb * mb);
        double sumQB = n * (cor * sq * sb * (n - 1) + mq * mb);
        KldStatistics s = KldAccumulator.withSums(new ChunkPlan(256, 273), 512, sumQ, sumQ2, sumB, sumB2, sumQB, n)
                .statistics();
        assertEquals(pplQ[0], s.perplexity().value(), 1e-6 * pplQ[0]);
        assertEquals(pplQ[1], s.perplexity().uncertainty(), 1e-6);
        double[] lnRatio = pm(line(log, "Mean ln(PPL(Q)/PPL(base))"));
        double[] ratio = pm(line(log, "Mean PPL(Q)/PPL(base) "));
        double[] diff = pm(line(log, "Mean PPL(Q)-PPL(base) "));
        // the printed inputs carry 6 decimals (and the correlation 2), which bounds how well the outputs can agree
        assertEquals(lnRatio[0], s.logRatio().value(), 2e-6);
        assertEquals(ratio[0], s.ratio().value(), 2e-6);
        assertEquals(diff[0], s.difference().value(), 2e-5);
        if (corLine.contains("100.00%")) {
            return; // var(q) + var(b) - 2 cov cancels almost completely: a 2-decimal correlation cannot give it
        }
        assertEquals(lnRatio[1], s.logRatio().uncertainty(), 0.02 * lnRatio[1] + 2e-6);
        assertEquals(ratio[1], s.ratio().uncertainty(), 0.02 * ratio[1] + 2e-6);
        assertEquals(diff[1], s.difference().uncertainty(), 0.02 * diff[1] + 2e-5);
    }

    private static String line(List<String> log, String prefix) {
        return log.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(() -> new AssertionError(prefix));
    }

    private static double[] pm(String line) {
        Matcher m = PM.matcher(line);
        if (!m.find()) {
            throw new AssertionError(line);
        }
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
    }
}
