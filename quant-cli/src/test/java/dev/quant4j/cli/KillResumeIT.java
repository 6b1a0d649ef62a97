package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.engine.DemoModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill/resume harness: {@code bin/quant quantize} of the real distribution is killed with SIGKILL
 * ({@link Process#destroyForcibly()}) at random moments — after a random number of finished tensors (0 included:
 * during start-up and planning) plus a random delay of up to 400 ms, so kills land inside tensors, between the
 * data and the journal, during the commit — one to three times in a row, the first run without
 * {@code --resume}, then finished with {@code --resume}; every output must equal the uninterrupted run's bytes.
 * Fast variant in verify ({@code quant4j.kills}, default 4 per case); {@code -Dquant4j.kills=20} for the long
 * run, {@code -Dquant4j.kill.seed=N} to replay one.
 */
class KillResumeIT {
    private static final Pattern RESUMED = Pattern.compile(": (\\d+) of (\\d+) tensors already written and verified");
    private static final int KILLS = Integer.getInteger("quant4j.kills", 3);
    private static final long SEED = Long.getLong("quant4j.kill.seed", System.nanoTime());
    private static Path bin;
    private static Path model;

    @BeforeAll
    static void setUp(@TempDir Path dir) throws IOException {
        bin = Path.of(System.getProperty("quant4j.dist")).resolve("bin/quant");
        QuantRegistry registry = QuantRegistry.load(KillResumeIT.class.getClassLoader());
        // small (4 MB, 39 tensors) so that process start-up does not dominate; kills are placed by progress
        model = new DemoModel(4, 256, 512, 4, 2, 1024, 5).write(registry, dir.resolve("demo-f16.gguf"));
    }

    @Test
    void singleFileSurvivesEveryKill(@TempDir Path tmp) throws Exception {
        harness(tmp, "Q4_K_M", List.of());
    }

    @Test
    void splitOutputSurvivesEveryKill(@TempDir Path tmp) throws Exception {
        harness(tmp, "Q5_K_S", List.of("--split-max-tensors", "9"));
    }

    private void harness(Path tmp, String type, List<String> extra) throws Exception {
        Path refDir = Files.createDirectories(tmp.resolve("ref"));
        Run ref = quantize(refDir, type, extra, false, -1, 0);
        assertEquals(0, ref.exit, ref.stderr);
        int tensors = (int) ref.stderr.lines().filter(l -> l.startsWith("[")).count();
        assertTrue(tensors > 10, "progress lines to place kills by: " + ref.stderr);
        List<String> names = list(refDir);
        Random rnd = new Random(SEED);
        int midRun = 0;
        int resumedTensors = 0;
        for (int trial = 0; trial < KILLS; trial++) {
            Path dir = Files.createDirectories(tmp.resolve("k" + trial));
            int kills = 1 + rnd.nextInt(3);
            for (int k = 0; k < kills; k++) {
                // trial 0 kills right after the first finished tensor, so at least one kill lands mid-write even on a
                // fast machine; the others at random points (a small model finishes within a long random delay)
                Run killed = trial == 0 && k == 0 ? quantize(dir, type, extra, false, 1, 0)
                        : quantize(dir, type, extra, k > 0, rnd.nextInt(tensors), rnd.nextInt(100));
                if (killed.exit == 0) {
                    break; // finished before the kill came: nothing left to resume
                }
                if (list(dir).stream().anyMatch(n -> n.endsWith(".tmp"))) {
                    midRun++;
                }
            }
            Run done = quantize(dir, type, extra, true, -1, 0);
            assertEquals(0, done.exit, "seed " + SEED + " trial " + trial + ": " + done.stderr);
            Matcher m = RESUMED.matcher(done.stderr);
            if (m.find()) {
                resumedTensors += Integer.parseInt(m.group(1));
            }
            assertEquals(names, list(dir), "seed " + SEED + " trial " + trial + ": the same files, no temp or journal left");
            for (String n : names) {
                assertArrayEquals(Files.readAllBytes(refDir.resolve(n)), Files.readAllBytes(dir.resolve(n)),
                        "seed " + SEED + " trial " + trial + ": " + n + " differs from the uninterrupted run");
            }
        }
        System.out.printf("kill/resume %s %s: %d trials (seed %d), %d kills landed mid-write, %d finished tensors "
                + "kept across resumes, all outputs byte-identical%n", type, extra, KILLS, SEED, midRun, resumedTensors);
        assertTrue(KILLS < 3 || midRun > 0, "at least one kill landed while the output was being written (seed " + SEED + ")");
    }

    private record Run(int exit, String stderr) {
    }

    /**
     * Runs quant quantize in {@code dir}; with {@code killAfterTensors >= 0} SIGKILLs it {@code delayMillis} after
     * its progress reports that many finished tensors.
     */
    private static Run quantize(Path dir, String type, List<String> extra, boolean resume, int killAfterTensors,
                                int delayMillis) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(bin.toString(), "quantize", "-v", "--no-error-stats")); // -v: a line per tensor
        cmd.addAll(extra);
        if (resume) {
            cmd.add("--resume");
        }
        cmd.addAll(List.of(model.toString(), dir.resolve("out.gguf").toString(), type, "2"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            int progress = 0;
            String line;
            while (killAfterTensors >= 0 && progress < killAfterTensors && (line = r.readLine()) != null) {
                out.append(line).append('\n');
                if (line.startsWith("[")) {
                    progress++;
                }
            }
            if (killAfterTensors >= 0 && !p.waitFor(delayMillis, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
            }
            try {
                while ((line = r.readLine()) != null) {
                    out.append(line).append('\n');
                }
            } catch (IOException closedByTheKill) {
                // destroyForcibly closes the pipe; the rest of the output is gone with the process
            }
        }
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "quantize finished in time");
        return new Run(p.exitValue(), out.toString());
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
