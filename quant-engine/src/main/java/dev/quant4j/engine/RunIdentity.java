package dev.quant4j.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * What makes a run's output what it is, as journal header lines: each input file's identity (size,
 * modification time, a 64-bit checksum of its first megabyte — the header — and of 64 sampled 4 KiB blocks), the
 * options, and a checksum of the complete plan. A resume is allowed only when every line matches.
 *
 * <p>The checksums ({@link #checksum}) are CRC-32C and CRC-32 side by side: they guard against a changed file or
 * plan, not against an adversary. They were SHA-256, which at the start of a run runs before the JIT has
 * compiled it (and needs the security provider set up first): 60-190 ms on the main thread, before the first
 * worker, against about 2 ms for the CRCs, which the JVM computes with its intrinsics even in the interpreter.
 */
final class RunIdentity {
    private static final int HEAD_BYTES = 1 << 20;
    private static final int SAMPLES = 64;
    private static final int SAMPLE_BYTES = 4096;
    /** Marks this version's checksums (older journals hold a SHA-256 in hex there). */
    private static final String CHECKSUM = "crc:";

    private final List<String> lines;

    private RunIdentity(List<String> lines) {
        this.lines = List.copyOf(lines);
    }

    static RunIdentity of(List<Path> inputs, Path imatrix, String options, String planDescription) throws IOException {
        List<String> l = new ArrayList<>();
        for (Path p : inputs) {
            l.add("input\t" + fileIdentity(p));
        }
        l.add("imatrix\t" + (imatrix == null ? "-" : fileIdentity(imatrix)));
        l.add("options\t" + escape(options));
        l.add("plan\t" + checksum(planDescription.getBytes(StandardCharsets.UTF_8)));
        return new RunIdentity(l);
    }

    List<String> lines() {
        return lines;
    }

    /** Why a journal with {@code recorded} header lines cannot be continued by this run, or empty when it can. */
    Optional<String> mismatch(List<String> recorded) {
        for (int i = 0; i < Math.max(lines.size(), recorded.size()); i++) {
            String now = i < lines.size() ? lines.get(i) : "(nothing)";
            String then = i < recorded.size() ? recorded.get(i) : "(nothing)";
            if (!now.equals(then)) {
                return Optional.of(explain(then, now));
            }
        }
        return Optional.empty();
    }

    private static String explain(String then, String now) {
        String[] a = then.split("\t");
        String[] b = now.split("\t");
        String kind = b[0];
        if (!a[0].equals(kind)) {
            return "the interrupted run had other inputs (" + then.replace('\t', ' ') + " vs " + now.replace('\t', ' ') + ")";
        }
        return switch (kind) {
            case "input", "imatrix" -> {
                if (a.length != 5 || b.length != 5 || !a[1].equals(b[1])) {
                    yield kind + " file differs: the interrupted run read " + a[1] + ", this run reads " + b[1];
                }
                if (!a[4].startsWith(CHECKSUM)) {
                    yield "the interrupted run was journaled by another quant4j version";
                }
                String what = !a[2].equals(b[2]) ? "size " + a[2] + " -> " + b[2] + " bytes"
                        : !a[3].equals(b[3]) ? "modified since (mtime " + a[3] + " -> " + b[3] + ")"
                        : "content differs";
                yield kind + " file " + b[1] + " changed since the interrupted run (" + what + ")";
            }
            case "options" -> "options differ: the interrupted run used [" + (a.length > 1 ? a[1] : "")
                    + "], this run [" + (b.length > 1 ? b[1] : "") + "]";
            case "plan" -> a.length < 2 || !a[1].startsWith(CHECKSUM)
                    ? "the interrupted run was journaled by another quant4j version"
                    : "the plan differs (another quant4j version or plugin set plans these tensors differently)";
            default -> "journal line '" + then + "' does not match '" + now + "'";
        };
    }

    /** Size, modification time and a checksum of the header and of sampled bytes: cheap even for 100 GB files. */
    private static String fileIdentity(Path p) throws IOException {
        Path abs = p.toAbsolutePath().normalize();
        long size = Files.size(abs);
        long mtime = Files.getLastModifiedTime(abs).toMillis();
        Checksum md = new Checksum();
        try (FileChannel ch = FileChannel.open(abs, StandardOpenOption.READ)) {
            read(ch, 0, (int) Math.min(size, HEAD_BYTES), md);
            if (size > HEAD_BYTES) {
                long span = size - SAMPLE_BYTES;
                for (int i = 0; i < SAMPLES; i++) {
                    read(ch, span / (SAMPLES - 1) * i, (int) Math.min(SAMPLE_BYTES, size), md);
                }
            }
        }
        return escape(abs.toString()) + "\t" + size + "\t" + mtime + "\t" + md.hex();
    }

    private static void read(FileChannel ch, long position, int length, Checksum md) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                break;
            }
        }
        b.flip();
        md.update(b);
    }

    /** The checksum of {@code bytes}, as the journal writes it. */
    static String checksum(byte[] bytes) {
        Checksum c = new Checksum();
        c.update(ByteBuffer.wrap(bytes));
        return c.hex();
    }

    /** CRC-32C and CRC-32 of the same bytes, one 64-bit value. */
    private static final class Checksum {
        private final CRC32C c = new CRC32C();
        private final CRC32 d = new CRC32();

        void update(ByteBuffer b) {
            c.update(b.duplicate());
            d.update(b);
        }

        String hex() {
            return CHECKSUM + HexFormat.of().toHexDigits(c.getValue() << 32 | d.getValue());
        }
    }

    /** Journal fields are tab-separated lines: tabs, newlines and backslashes are escaped. */
    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }
}
