package dev.quant4j.engine;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What makes a run's output what it is, as journal header lines: each input file's identity (size,
 * modification time, SHA-256 of its first megabyte — the header — and of 64 sampled 4 KiB blocks), the
 * options, and a digest of the complete plan. A resume is allowed only when every line matches.
 */
final class RunIdentity {
    private static final int HEAD_BYTES = 1 << 20;
    private static final int SAMPLES = 64;
    private static final int SAMPLE_BYTES = 4096;

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
        l.add("plan\t" + sha256(planDescription.getBytes(StandardCharsets.UTF_8)));
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
                String what = !a[2].equals(b[2]) ? "size " + a[2] + " -> " + b[2] + " bytes"
                        : !a[3].equals(b[3]) ? "modified since (mtime " + a[3] + " -> " + b[3] + ")"
                        : "content differs";
                yield kind + " file " + b[1] + " changed since the interrupted run (" + what + ")";
            }
            case "options" -> "options differ: the interrupted run used [" + (a.length > 1 ? a[1] : "")
                    + "], this run [" + (b.length > 1 ? b[1] : "") + "]";
            case "plan" -> "the plan differs (another quant4j version or plugin set plans these tensors differently)";
            default -> "journal line '" + then + "' does not match '" + now + "'";
        };
    }

    /** Size, modification time and a digest of the header and of sampled bytes: cheap even for 100 GB files. */
    private static String fileIdentity(Path p) throws IOException {
        Path abs = p.toAbsolutePath().normalize();
        long size = Files.size(abs);
        long mtime = Files.getLastModifiedTime(abs).toMillis();
        MessageDigest md = digest();
        try (FileChannel ch = FileChannel.open(abs, StandardOpenOption.READ)) {
            read(ch, 0, (int) Math.min(size, HEAD_BYTES), md);
            if (size > HEAD_BYTES) {
                long span = size - SAMPLE_BYTES;
                for (int i = 0; i < SAMPLES; i++) {
                    read(ch, span / (SAMPLES - 1) * i, (int) Math.min(SAMPLE_BYTES, size), md);
                }
            }
        }
        return escape(abs.toString()) + "\t" + size + "\t" + mtime + "\t" + HexFormat.of().formatHex(md.digest());
    }

    private static void read(FileChannel ch, long position, int length, MessageDigest md) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                break;
            }
        }
        b.flip();
        md.update(b);
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new QuantException(ErrorCode.PROVIDER_FAILED, "this JDK lacks SHA-256: " + e.getMessage());
        }
    }

    /** Journal fields are tab-separated lines: tabs, newlines and backslashes are escaped. */
    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }
}
