import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * What reading a model file once costs this thread: through a fresh mapping (every page touched for the first time,
 * as a forward pass's first batch or a quantize run touches them) or by positional reads into one reused buffer.
 * Run each mode in its own JVM, alternating, on a file already in the page cache:
 *
 *   java bench/FirstTouch.java MODEL.gguf map|read [CHUNK_BYTES]
 *
 * Prints the thread's CPU milliseconds and the wall milliseconds of the pass (the copy loop is compiled first on a
 * few pages, so neither mode pays the interpreter).
 */
public class FirstTouch {
    public static void main(String[] args) throws Exception {
        boolean read = args[1].equals("read");
        int chunk = args.length > 2 ? Integer.parseInt(args[2]) : 1 << 21;
        try (FileChannel ch = FileChannel.open(Path.of(args[0])); Arena arena = Arena.ofConfined()) {
            MemorySegment map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            MemorySegment buf = arena.allocate(chunk, 64);
            ByteBuffer bb = buf.asByteBuffer();
            byte[] staging = new byte[1 << 17];
            long sum = 0;
            for (int w = 0; w < 300; w++) { // compile the copy loop on the first pages only
                MemorySegment.copy(map, ValueLayout.JAVA_BYTE, (w % 4) * staging.length, staging, 0, staging.length);
                MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, staging, 0, staging.length);
            }
            var threads = ManagementFactory.getThreadMXBean();
            long cpu = threads.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            for (long at = 1 << 21; at + chunk <= ch.size(); at += chunk) {
                MemorySegment src = map;
                long off = at;
                if (read) {
                    bb.clear();
                    while (bb.hasRemaining()) {
                        ch.read(bb, at + bb.position());
                    }
                    src = buf;
                    off = 0;
                }
                for (int o = 0; o + staging.length <= chunk; o += staging.length) {
                    MemorySegment.copy(src, ValueLayout.JAVA_BYTE, off + o, staging, 0, staging.length);
                    sum += staging[5];
                }
            }
            System.out.printf("%s: thread CPU %.0f ms, wall %.0f ms (checksum %d)%n", args[1],
                    (threads.getCurrentThreadCpuTime() - cpu) / 1e6, (System.nanoTime() - wall) / 1e6, sum);
        }
    }
}
