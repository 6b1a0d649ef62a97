package dev.quant4j.safetensors.io;

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
 * Writes safetensors through temp files sized up front: headers at once, tensor bytes through positional
 * writes or mapped slices from any thread, in any order. {@link #commit()} renames every shard (and writes the
 * index, also through a temp file); closing without commit deletes everything this writer created.
 */
public final class SafetensorsWriter implements ModelWriter {
    private enum State { OPEN, COMMITTED, CLOSED }

    private final ModelLayout layout;
    private final ShardLayout plan;
    private final Arena arena = Arena.ofShared();
    private final List<FileChannel> channels = new ArrayList<>();
    /** Force data before the renames and the directory after them (WriteOptions.sync). */
    private final boolean sync;
    private volatile List<MemorySegment> mapped = List.of();
    private final List<Path> created = new ArrayList<>();
    private volatile State state = State.OPEN;

    private SafetensorsWriter(ModelLayout layout, ShardLayout plan, boolean sync) {
        this.sync = sync;
        this.layout = layout;
        this.plan = plan;
    }

    public static SafetensorsWriter create(Path out, ModelLayout layout, WriteOptions options) throws IOException {
        Objects.requireNonNull(out, "out");
        SafetensorsWriter w = new SafetensorsWriter(layout, ShardLayout.of(out.toAbsolutePath(), layout, options),
                options.sync());
        try {
            w.openShards();
            return w;
        } catch (IOException | RuntimeException | Error e) {
            w.discard(e);
            throw e;
        }
    }

    private void openShards() throws IOException {
        List<MemorySegment> maps = new ArrayList<>();
        for (ShardLayout.Shard s : plan.shards()) {
            FileChannel ch = FileChannel.open(s.temp(), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            created.add(s.temp());
            channels.add(ch);
            ch.write(ByteBuffer.wrap(s.header()), 0);
            if (s.fileSize() > s.header().length) {
                ch.write(ByteBuffer.allocate(1), s.fileSize() - 1); // sizes the file; the rest stays sparse zeros
            }
            maps.add(ch.map(FileChannel.MapMode.READ_WRITE, 0, s.fileSize(), arena));
        }
        mapped = List.copyOf(maps);
    }

    private void checkOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("writer of " + plan.shards().getFirst().file() + " is " + state);
        }
    }

    @Override
    public MemorySegment tensorData(int index) {
        checkOpen();
        ShardLayout.Slot slot = plan.slots().get(Objects.checkIndex(index, plan.slots().size()));
        return mapped.get(slot.shard()).asSlice(slot.offset(), slot.byteSize());
    }

    @Override
    public void write(int index, long offset, MemorySegment bytes) throws IOException {
        checkOpen();
        ShardLayout.Slot slot = plan.slots().get(Objects.checkIndex(index, plan.slots().size()));
        Objects.checkFromIndexSize(offset, bytes.byteSize(), slot.byteSize());
        FileChannel ch = channels.get(slot.shard());
        ByteBuffer buf = bytes.asByteBuffer();
        long position = slot.offset() + offset;
        while (buf.hasRemaining()) {
            position += ch.write(buf, position);
        }
    }

    @Override
    public synchronized void commit() throws IOException {
        checkOpen();
        List<Path> moved = new ArrayList<>();
        try {
            arena.close();
            for (FileChannel ch : channels) {
                if (sync) {
                    ch.force(true); // data on storage before any name points at it
                }
                ch.close();
            }
            Path indexTemp = null;
            if (plan.index() != null) {
                indexTemp = plan.index().resolveSibling(plan.index().getFileName() + ".tmp");
                created.add(indexTemp);
                Files.write(indexTemp, plan.indexJson(layout));
            }
            for (ShardLayout.Shard s : plan.shards()) {
                AtomicFiles.replace(s.temp(), s.file());
                moved.add(s.file());
            }
            if (indexTemp != null) {
                AtomicFiles.replace(indexTemp, plan.index()); // last: the index appearing means every shard is in place
                moved.add(plan.index());
            }
            if (sync) {
                AtomicFiles.forceDirectories(files());
            }
            state = State.COMMITTED;
        } catch (IOException | RuntimeException | Error e) {
            created.addAll(moved);
            discard(e);
            throw e;
        }
    }


    /** The shard files, then the index when the output is split. */
    @Override
    public List<Path> files() {
        List<Path> out = new ArrayList<>(plan.shards().stream().map(ShardLayout.Shard::file).toList());
        if (plan.index() != null) {
            out.add(plan.index());
        }
        return out;
    }

    @Override
    public synchronized void close() throws IOException {
        if (state == State.OPEN) {
            discard(null);
        }
    }

    private synchronized void discard(Throwable cause) throws IOException {
        state = State.CLOSED;
        Discard.all(arena, channels, created, cause);
    }
}
