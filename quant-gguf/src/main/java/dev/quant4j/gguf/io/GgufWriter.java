package dev.quant4j.gguf.io;

import dev.quant4j.api.io.Discard;
import dev.quant4j.api.io.AtomicFiles;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.WriteOptions;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes a planned GGUF model through writable mappings: each temp file is sized up front (sparse, so the
 * padding reads as zeros), the header is written at once, and every tensor's bytes are a slice of the mapping
 * that callers fill from any thread, in any order. Memory use does not grow with the model: the kernel writes
 * dirty pages back. {@link #commit()} forces the data to storage (unless {@code sync} is off), renames, and
 * forces the directory; anything else removes every file this writer made, except in {@code resume} mode,
 * where temp files of the planned size are reopened as they are and kept when the writer closes uncommitted.
 */
final class GgufWriter implements ModelWriter {
    private enum State { OPEN, COMMITTED, CLOSED }

    private final WritePlan plan;
    private final Arena arena = Arena.ofShared();
    private final List<FileChannel> channels = new ArrayList<>();
    private final List<MemorySegment> maps = new ArrayList<>();
    /** The mappings, published once complete to the threads that fill tensors. */
    private volatile List<MemorySegment> mapped = List.of();
    private final List<Path> created = new ArrayList<>();
    private volatile State state = State.OPEN;

    private final boolean sync;
    private final boolean resume;

    private GgufWriter(WritePlan plan, WriteOptions options) {
        this.plan = plan;
        this.sync = options.sync();
        this.resume = options.resume();
    }

    static GgufWriter create(Path out, ModelLayout layout, WriteOptions options) throws IOException {
        Objects.requireNonNull(out, "out");
        GgufWriter w = new GgufWriter(WritePlan.of(out.toAbsolutePath(), layout, options), options);
        try {
            w.openShards();
            return w;
        } catch (IOException | RuntimeException | Error e) {
            w.discard(e);
            throw e;
        }
    }

    private void openShards() throws IOException {
        for (ShardPlan s : plan.shards()) {
            boolean reuse = resume && Files.isRegularFile(s.temp()) && Files.size(s.temp()) == s.fileSize();
            FileChannel ch = reuse
                    ? FileChannel.open(s.temp(), StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(s.temp(), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            created.add(s.temp());
            channels.add(ch);
            if (!reuse) {
                ch.write(ByteBuffer.allocate(1), s.fileSize() - 1); // sizes the file; the rest stays sparse zeros
            }
            MemorySegment map = ch.map(FileChannel.MapMode.READ_WRITE, 0, s.fileSize(), arena);
            maps.add(map);
            HeaderEncoder.write(map, s.metadata(), s.tensors());
        }
        mapped = List.copyOf(maps);
    }

    @Override
    public MemorySegment tensorData(int index) {
        if (state != State.OPEN) {
            throw new IllegalStateException("writer of " + plan.shards().getFirst().file() + " is " + state);
        }
        WritePlan.Slot slot = plan.slots().get(Objects.checkIndex(index, plan.slots().size()));
        return mapped.get(slot.shard()).asSlice(slot.offset(), slot.byteSize());
    }

    @Override
    public void write(int index, long offset, MemorySegment bytes) throws IOException {
        if (state != State.OPEN) {
            throw new IllegalStateException("writer of " + plan.shards().getFirst().file() + " is " + state);
        }
        WritePlan.Slot slot = plan.slots().get(Objects.checkIndex(index, plan.slots().size()));
        Objects.checkFromIndexSize(offset, bytes.byteSize(), slot.byteSize());
        FileChannel ch = channels.get(slot.shard());
        ByteBuffer buf = bytes.asByteBuffer();
        long position = slot.offset() + offset;
        while (buf.hasRemaining()) {
            position += ch.write(buf, position);
        }
    }

    @Override
    public void force(int index) throws IOException {
        if (!sync) {
            return;
        }
        WritePlan.Slot slot = plan.slots().get(Objects.checkIndex(index, plan.slots().size()));
        if (slot.byteSize() > 0) {
            mapped.get(slot.shard()).asSlice(slot.offset(), slot.byteSize()).force(); // bytes stored through the map
        }
        channels.get(slot.shard()).force(false); // and through positional writes
    }

    @Override
    public List<Path> tempFiles() {
        return plan.shards().stream().map(ShardPlan::temp).toList();
    }

    @Override
    public synchronized void commit() throws IOException {
        if (state != State.OPEN) {
            throw new IllegalStateException("writer of " + plan.shards().getFirst().file() + " is " + state);
        }
        List<Path> moved = new ArrayList<>();
        try {
            // data on storage before the rename, the rename on storage after it: a power loss leaves either
            // no file under the final name or a complete one (sync off: write-back is left to the OS)
            if (sync) {
                for (MemorySegment m : maps) {
                    m.force();
                }
                for (FileChannel ch : channels) {
                    ch.force(true);
                }
            }
            arena.close();
            for (FileChannel ch : channels) {
                ch.close();
            }
            for (ShardPlan s : plan.shards()) {
                AtomicFiles.replace(s.temp(), s.file());
                moved.add(s.file());
            }
            if (sync) {
                AtomicFiles.forceDirectories(plan.shards().stream().map(ShardPlan::file).toList());
            }
            state = State.COMMITTED;
        } catch (IOException | RuntimeException | Error e) {
            created.addAll(moved);
            discard(e);
            throw e;
        }
    }


    @Override
    public List<Path> files() {
        return plan.shards().stream().map(ShardPlan::file).toList();
    }

    @Override
    public synchronized void close() throws IOException {
        if (state == State.OPEN) {
            if (resume) {
                created.clear(); // kept for the next run to continue
            }
            discard(null);
        }
    }

    /** Unmaps, closes and deletes every file this writer created; failures are attached to {@code cause}. */
    private synchronized void discard(Throwable cause) throws IOException {
        state = State.CLOSED;
        Discard.all(arena, channels, created, cause);
    }

    @Override
    public String toString() {
        return "GgufWriter" + files();
    }
}
