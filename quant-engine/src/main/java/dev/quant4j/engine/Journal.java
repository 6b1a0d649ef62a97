package dev.quant4j.engine;

import dev.quant4j.api.io.AtomicFiles;
import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The resume journal beside an output's temp file(s): a header that identifies the run (inputs, options,
 * plan), written to a side file and renamed into place, then one appended line per finished tensor with the
 * CRC-32C of its bytes. Every line carries its own checksum, so a line torn by a crash is recognised and
 * ignored; a finished-tensor line is appended only after the tensor's bytes were forced (when syncing), so
 * the journal never claims more than the temp file holds — and a resume re-checks every claim anyway.
 */
final class Journal implements AutoCloseable {
    static final String MAGIC = "quant4j-journal\t1";

    /** A tensor recorded as finished: the checksum of its bytes and the error measured when it was written. */
    record Done(int index, String name, long crc, double rmse, double relativeRmse) {
    }

    /** A journal read back: its header lines (magic excluded) and the last record of each finished tensor. */
    record Loaded(List<String> header, Map<Integer, Done> done) {
    }

    private final Path file;
    private final FileChannel channel;
    private final Durability durability;

    private Journal(Path file, FileChannel channel, Durability durability) {
        this.file = file;
        this.channel = channel;
        this.durability = durability;
    }

    /** The journal of {@code output}: {@code OUTPUT.tmp.journal}, beside {@code OUTPUT.tmp}. */
    static Path pathFor(Path output) {
        return output.toAbsolutePath().resolveSibling(output.getFileName() + ".tmp.journal");
    }

    /** Starts a new journal with {@code header}, replacing any old one atomically. */
    static Journal start(Path file, List<String> header, boolean sync) throws IOException {
        return start(file, header, Durability.of(sync));
    }

    /**
     * As above. With syncing the header is forced before the rename and the directory after it, so after a power
     * loss the journal's name holds the complete header or is absent (then a resume starts over); the same
     * directory force makes the temp output's name, created just before, durable too.
     */
    static Journal start(Path file, List<String> header, Durability durability) throws IOException {
        Path side = file.resolveSibling(file.getFileName() + ".new");
        StringBuilder sb = new StringBuilder(line(MAGIC));
        header.forEach(h -> sb.append(line(h)));
        sb.append(line("end"));
        try (FileChannel ch = FileChannel.open(side, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            writeFully(ch, sb.toString());
            durability.force(ch);
        }
        AtomicFiles.replace(side, file);
        durability.forceDirectory(file);
        return append(file, durability);
    }

    /** Continues an existing journal: later lines supersede earlier ones for the same tensor. */
    static Journal append(Path file, boolean sync) throws IOException {
        return append(file, Durability.of(sync));
    }

    static Journal append(Path file, Durability durability) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        return new Journal(file, ch, durability);
    }

    /**
     * Reads a journal. A torn or corrupt line after the header ends the readable part (it was being written
     * when the run died); a damaged header is refused.
     */
    static Loaded read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<String> header = new ArrayList<>();
        Map<Integer, Done> done = new HashMap<>();
        int pos = 0;
        boolean inHeader = true;
        boolean first = true;
        while (pos < text.length()) {
            int nl = text.indexOf('\n', pos);
            if (nl < 0) {
                break; // torn last line
            }
            String content = checked(text.substring(pos, nl));
            pos = nl + 1;
            if (content == null) {
                if (inHeader) {
                    throw damaged(file, "a header line fails its checksum");
                }
                break;
            }
            if (first) {
                if (!content.equals(MAGIC)) {
                    throw damaged(file, "it does not start with '" + MAGIC + "'");
                }
                first = false;
            } else if (inHeader) {
                if (content.equals("end")) {
                    inHeader = false;
                } else {
                    header.add(content);
                }
            } else {
                Done d = parseDone(content);
                if (d == null) {
                    break;
                }
                done.put(d.index(), d);
            }
        }
        if (inHeader) {
            throw damaged(file, "its header is incomplete");
        }
        return new Loaded(List.copyOf(header), done);
    }

    /** Records tensor {@code index} as finished; forced to storage when syncing. */
    synchronized void done(Done d) throws IOException {
        writeFully(channel, line("done\t" + d.index() + "\t" + RunIdentity.escape(d.name()) + "\t" + Long.toHexString(d.crc()) + "\t"
                + d.rmse() + "\t" + d.relativeRmse()));
        durability.force(channel);
    }

    Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** The CRC-32C of a segment's bytes (the finished-tensor checksum). */
    static long crc(java.lang.foreign.MemorySegment segment) {
        CRC32C c = new CRC32C();
        long chunk = 1L << 28;
        for (long off = 0; off < segment.byteSize(); off += chunk) {
            c.update(segment.asSlice(off, Math.min(chunk, segment.byteSize() - off)).asByteBuffer());
        }
        return c.getValue();
    }

    private static Done parseDone(String content) {
        String[] f = content.split("\t", -1);
        if (f.length != 6 || !f[0].equals("done")) {
            return null;
        }
        try {
            return new Done(Integer.parseInt(f[1]), f[2], Long.parseUnsignedLong(f[3], 16), Double.parseDouble(f[4]),
                    Double.parseDouble(f[5]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String line(String content) {
        if (content.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("journal line with a newline: " + content);
        }
        CRC32C c = new CRC32C();
        c.update(content.getBytes(StandardCharsets.UTF_8));
        return content + "\t#" + HexFormat.of().toHexDigits((int) c.getValue()) + "\n";
    }

    /** The content of a line whose checksum holds, else null. */
    private static String checked(String raw) {
        int hash = raw.lastIndexOf("\t#");
        if (hash < 0 || raw.length() - hash != 10) {
            return null;
        }
        String content = raw.substring(0, hash);
        CRC32C c = new CRC32C();
        c.update(content.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().toHexDigits((int) c.getValue()).equals(raw.substring(hash + 2)) ? content : null;
    }

    private static void writeFully(FileChannel ch, String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static QuantException damaged(Path file, String why) {
        return new QuantException(ErrorCode.INVALID_PLAN, "cannot resume: the journal " + file + " is damaged ("
                + why + "); run without --resume to start over");
    }
}
