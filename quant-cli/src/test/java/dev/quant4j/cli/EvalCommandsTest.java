package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.eval.imatrix.ImatrixEntry;
import dev.quant4j.eval.imatrix.ImatrixFile;
import dev.quant4j.eval.imatrix.ImatrixFiles;
import dev.quant4j.eval.metrics.ChunkListener;
import dev.quant4j.eval.metrics.ChunkPlan;
import dev.quant4j.eval.metrics.KldBaseReader;
import dev.quant4j.eval.metrics.PerplexityResult;
import dev.quant4j.eval.metrics.PerplexityRun;
import dev.quant4j.tck.SharedData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code quant imatrix}, {@code perplexity} and {@code kld} as a user runs them (a synthetic model stands in for the forward pass). */
class EvalCommandsTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(EvalCommandsTest.class.getClassLoader());

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    /** Runs a command object the way Main runs subcommands (same exception handling and exit codes). */
    static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("quant: " + ex.getMessage());
            return ExitCodes.of(ex);
        });
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Run quant(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private Path text(int chars) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < chars; i++) {
            b.append((char) ('a' + (i * 7 + i / 13) % 26));
        }
        Path p = dir.resolve("calib.txt");
        Files.writeString(p, b + "\n");
        return p;
    }

    @Test
    void imatrixConvertsLlamaImatrixsGgufToItsDat() throws IOException {
        Path gguf = SharedData.require("reference/eval/imatrix/synth-moe.imatrix.gguf");
        Path out = dir.resolve("out.dat");
        Run r = quant("imatrix", "--in-file", gguf.toString(), "--output-format", "dat", "-c", "128", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("combining precomputed matrices only"), r.err());
        assertArrayEquals(Files.readAllBytes(gguf.resolveSibling("synth-moe.imatrix.dat")), Files.readAllBytes(out));
        assertFalse(Files.exists(dir.resolve("out.dat.tmp")));
    }

    @Test
    void imatrixRewritesAGgufByteForByte() throws IOException {
        Path gguf = SharedData.require("reference/eval/imatrix/tiny-shakespeare-256-f16.imatrix.gguf");
        Path out = dir.resolve("same.gguf");
        Run r = quant("imatrix", "--in-file", gguf.toString(), "-c", "128", "-o", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(10, j.get("chunk_count").asInt());
        assertEquals("gguf", j.get("format").asText());
        assertArrayEquals(Files.readAllBytes(gguf), Files.readAllBytes(out));
    }

    @Test
    void imatrixCombinesSeveralFiles() throws IOException {
        Path gguf = SharedData.require("reference/eval/imatrix/stories260K.imatrix.gguf");
        Path dat = gguf.resolveSibling("stories260K.imatrix.dat");
        Path out = dir.resolve("both.gguf");
        Run r = quant("imatrix", "--in-file", gguf + "," + dat, "-c", "128", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("20 chunks"), r.out());
        ImatrixFile f = ImatrixFiles.load(out, REGISTRY);
        assertEquals(List.of("tinystories_sample.txt", "tinystories_sample.txt"), f.datasets());
        assertEquals(20, f.chunkCount());
        assertArrayEquals(new long[] {2560}, f.entries().get("blk.0.attn_q.weight").counts());
    }

    @Test
    void imatrixRefusesNothingToDoAndLeavesNoPartialOutput() throws IOException {
        Run r = quant("imatrix", "-o", dir.resolve("x.gguf").toString());
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("nothing to do"), r.err());
        Path bad = dir.resolve("bad.dat");
        Files.write(bad, new byte[] {5, 0, 0, 0, 1});
        r = quant("imatrix", "--in-file", bad.toString(), "-o", dir.resolve("y.gguf").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().contains("bad.dat") && r.err().contains("corrupt at byte"), r.err());
        r = quant("imatrix", "-m", "m.gguf", "-f", "t.txt", "-o", dir.resolve("z.gguf").toString(), "--output-format", "bin");
        assertEquals(ExitCodes.USAGE, r.code());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(bad), s.toList());
        }
    }

    @Test
    void imatrixCollectsFromTheModelRun() throws IOException {
        Path txt = text(700);
        Path out = dir.resolve("im.gguf");
        Run r = run(new ImatrixCommand(FakeEvalModel.backend(0f)), "-m", "fake.gguf", "-f", txt.toString(),
                "-c", "64", "--chunks", "5", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("[1]") && r.out().contains("[5]") && r.out().contains("Final estimate: PPL = "),
                r.out());
        ImatrixFile f = ImatrixFiles.load(out, REGISTRY);
        assertEquals(List.of(txt.toString()), f.datasets());
        assertEquals(5, f.chunkCount());
        assertEquals(64, f.chunkSize());
        assertFalse(f.entries().containsKey("output.weight"));          // no --process-output
        ImatrixEntry q = f.entries().get("blk.0.attn_q.weight");
        assertArrayEquals(new long[] {320}, q.counts());
        assertEquals(320f, q.sums()[1]);                                 // the constant column: 1 per row
        long[] experts = f.entries().get("blk.0.ffn_up_exps.weight").counts();
        assertEquals(320, experts[0] + experts[1] + experts[2]);
    }

    @Test
    void aKilledImatrixRunResumesToTheSameFile() throws IOException {
        Path txt = text(1400);
        Path whole = dir.resolve("whole.gguf");
        Run r = run(new ImatrixCommand(FakeEvalModel.backend(0f)), "-m", "m.gguf", "-f", txt.toString(), "-c", "64",
                "-o", whole.toString(), "--checkpoint-every", "0");
        assertEquals(0, r.code(), r.err());
        Path out = dir.resolve("resumed.gguf");
        Path checkpoint = dir.resolve("resumed.gguf.checkpoint.gguf");
        Run killed = run(new ImatrixCommand(FakeEvalModel.failing(13)), "-m", "m.gguf", "-f", txt.toString(), "-c", "64",
                "-o", out.toString(), "--checkpoint-every", "5");
        assertEquals(ExitCodes.FAILURE, killed.code(), killed.err());
        assertFalse(Files.exists(out));
        assertTrue(Files.exists(checkpoint));
        assertEquals(10, ImatrixFiles.load(checkpoint, REGISTRY).chunkCount());   // saved after chunks 5 and 10
        Run resumed = run(new ImatrixCommand(FakeEvalModel.backend(0f)), "-m", "m.gguf", "-f", txt.toString(), "-c", "64",
                "-o", out.toString(), "--checkpoint-every", "5", "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("resumed after chunk 10"), resumed.err());
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(out));
        assertEquals(finalLine(r.out()), finalLine(resumed.out()));            // the same perplexity
        assertFalse(Files.exists(checkpoint));
        Run again = run(new ImatrixCommand(FakeEvalModel.backend(0f)), "-m", "m.gguf", "-f", txt.toString(), "-c", "64",
                "-o", out.toString(), "--resume");
        assertEquals(ExitCodes.USAGE, again.code());
        assertTrue(again.err().contains("no checkpoint"), again.err());
    }

    private static String finalLine(String s) {
        return s.lines().filter(l -> l.startsWith("Final estimate")).findFirst().orElseThrow(() -> new AssertionError(s));
    }

    @Test
    void perplexityPrintsLlamaPerplexitysLines() throws IOException {
        Path txt = text(1000);
        Path base = dir.resolve("base.kld");
        Run r = run(new PerplexityCommand(FakeEvalModel.backend(0f)), "-m", "fake.gguf", "-f", txt.toString(),
                "-c", "128", "--kl-divergence-base", base.toString());
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].matches("(\\[\\d\\]\\d+\\.\\d{4},){7}"), lines[0]);   // 1001 tokens / 128 = 7 chunks
        assertTrue(lines[1].matches("Final estimate: PPL = \\d+\\.\\d{4} \\+/- \\d+\\.\\d{5}"), lines[1]);
        try (KldBaseReader b = KldBaseReader.open(base)) {
            assertEquals(new ChunkPlan(128, 7), b.plan());
        }
        // the same numbers as the library run without a base file (which computes the NLLs in double)
        FakeEvalModel m = new FakeEvalModel(0f);
        int[] tokens = m.tokenizer().encode(Files.readString(txt).strip(), true, false);
        PerplexityResult direct = new PerplexityRun(ChunkPlan.of(tokens.length, 128, -1), 1, ChunkListener.NONE)
                .run(tokens, m.logits());
        Run plain = run(new PerplexityCommand(FakeEvalModel.backend(0f)), "-m", "x", "-f", txt.toString(), "-c", "128");
        assertTrue(plain.out().contains(direct.finalLine()), plain.out() + " vs " + direct.finalLine());
    }

    @Test
    void kldComparesAgainstABaseRunOrABaseFile() throws IOException {
        Path txt = text(3000);
        Path base = dir.resolve("f16.kld");
        Run same = run(new KldCommand(FakeEvalModel.backend(0f)), "--base", "f16.gguf", "-m", "f16.gguf",
                "-f", txt.toString(), "-c", "64", "--save-base", base.toString());
        assertEquals(0, same.code(), same.err());
        assertTrue(same.out().contains("Same top p: 100.000 ± 0.000 %"), same.out());
        assertTrue(same.out().startsWith("chunk             PPL"), same.out());
        Run noisy = run(new KldCommand(FakeEvalModel.backend(2f)), "--base-logits", base.toString(), "-m", "q.gguf", "--json");
        assertEquals(0, noisy.code(), noisy.err());
        JsonNode j = new ObjectMapper().readTree(noisy.out());
        assertTrue(j.get("kld").get("value").asDouble() > 0.01, noisy.out());
        assertEquals(46 * 31, j.get("tokens").asLong());               // 3001 tokens / 64 = 46 chunks of 31 scored
        Run missing = run(new KldCommand(FakeEvalModel.backend(0f)), "-m", "q.gguf");
        assertEquals(ExitCodes.USAGE, missing.code());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(2, s.count());                                  // the text and the saved base, no temp files
        }
    }

    @Test
    void aMissingModelIsAClearErrorAndWritesNothing() throws IOException {
        Path txt = text(300);
        Run r = quant("imatrix", "-m", dir.resolve("model.gguf").toString(), "-f", txt.toString(),
                "-o", dir.resolve("o.gguf").toString());
        assertEquals(ExitCodes.IO, r.code());
        assertTrue(r.err().contains("model.gguf: no such file"), r.err());
        assertFalse(Files.exists(dir.resolve("o.gguf")));
    }

    /** The registered command on the real forward pass: llama-perplexity's lines, its final estimate within 1e-3. */
    @Test
    void perplexityCommandRunsTheModel() throws IOException {
        Path model = SharedData.require("models/stories260K.gguf");
        Path txt = SharedData.require("text/tinystories_sample.txt");
        Run r = quant("perplexity", "-m", model.toString(), "-f", txt.toString(), "-c", "128", "--chunks", "4", "-t", "2");
        assertEquals(0, r.code(), r.err());
        // llama-perplexity logs [1]4.0931,[2]3.7350,[3]5.6352,[4]5.7100 (stories260K.c128x20.log)
        assertTrue(r.out().startsWith("[1]4.09"), r.out());
        Run j = quant("perplexity", "-m", model.toString(), "-f", txt.toString(), "-c", "128", "-t", "2", "--json");
        assertEquals(0, j.code(), j.err());
        JsonNode n = new ObjectMapper().readTree(j.out());
        assertEquals(14, n.get("chunks").asInt());
        assertEquals(6.8457, n.get("ppl").asDouble(), 6.8457e-3);
    }

    /**
     * {@code --chunks} tokenizes only the start of the text ({@code Tokenizer.encodeUtf8Prefix}): the running
     * estimates of the first chunks are those of the run over the whole text, digit for digit.
     */
    @Test
    void chunksLimitedRunsSeeTheWholeTextsTokens() throws IOException {
        Path model = SharedData.require("models/stories260K.gguf");
        String shakespeare = Files.readString(SharedData.require("reference/trained/tiny-shakespeare-256-heldout.txt"));
        Path txt = dir.resolve("first-12k.txt"); // several 4 KB blocks, of which 3 chunks of 64 tokens need the first
        Files.writeString(txt, shakespeare.substring(0, shakespeare.indexOf('\n', 12_000) + 1));
        Run all = quant("perplexity", "-m", model.toString(), "-f", txt.toString(), "-c", "64", "-t", "2");
        Run three = quant("perplexity", "-m", model.toString(), "-f", txt.toString(), "-c", "64", "--chunks", "3",
                "-t", "2");
        assertEquals(0, all.code(), all.err());
        assertEquals(0, three.code(), three.err());
        String[] estimates = all.out().lines().findFirst().orElseThrow().split(",");
        assertTrue(estimates.length > 60, all.out());
        assertEquals(String.join(",", estimates[0], estimates[1], estimates[2]) + ",",
                three.out().lines().findFirst().orElseThrow());
    }

    /** {@code --layer-streaming} on the real forward pass: the chunk-by-chunk file, byte for byte, in 1 or 3 passes. */
    @Test
    void imatrixLayerStreamingWritesTheChunkByChunkFile() throws IOException {
        Path model = SharedData.require("models/stories260K.gguf");
        Path txt = SharedData.require("text/tinystories_sample.txt");
        byte[] plain = null;
        for (String mode : new String[] {"--no-layer-streaming", "--layer-streaming", "--layer-streaming:2"}) {
            Path out = dir.resolve("i" + mode.replace(':', '-') + ".gguf");
            List<String> args = new java.util.ArrayList<>(List.of("imatrix", "-m", model.toString(), "-f",
                    txt.toString(), "-c", "128", "--chunks", "6", "-t", "2", "-o", out.toString(), mode.split(":")[0]));
            if (mode.endsWith(":2")) {
                args.addAll(List.of("--checkpoint-every", "2"));
            }
            Run r = quant(args.toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
            assertEquals(!mode.startsWith("--no"), r.err().contains("layer streaming"), r.err());
            assertEquals(mode.endsWith(":2"), r.err().contains("in passes of 2 chunks"), r.err());
            assertTrue(r.out().contains("Final estimate: PPL = "), r.out());
            assertFalse(Files.exists(dir.resolve(out.getFileName() + ".checkpoint.gguf")));
            if (plain == null) {
                plain = Files.readAllBytes(out);
            } else {
                assertArrayEquals(plain, Files.readAllBytes(out), mode);
            }
        }
    }
}
