package dev.quant4j.engine;

import dev.quant4j.api.io.FileRegion;
import dev.quant4j.api.io.RegionReader;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/**
 * Source rows read from the input file with positional reads instead of through the mapping, for views that are
 * exactly a tensor's mapped bytes (not a GPTQ-adjusted or guarded copy): on a virtual machine each fresh mapped page
 * costs a fault far dearer than the kernel's copy (docs/quantize-speed.md, "Input read, not touched").
 */
final class InputRegions implements Closeable {
    private record Source(long address, long bytes, FileRegion region) {
    }

    private final Map<String, Source> byName = new HashMap<>();
    private final RegionReader files = new RegionReader();

    InputRegions(ModelReader reader) throws IOException {
        if (!RegionReader.PREFERRED) {
            return;
        }
        for (TensorInfo t : reader.tensors()) {
            var region = reader.fileRegion(t);
            if (region.isPresent()) {
                MemorySegment data = reader.view(t).data();
                byName.put(t.name(), new Source(data.address(), data.byteSize(), region.get()));
            }
        }
    }

    /** Whether {@code view}'s rows can be {@link #read} from the file: its bytes are the tensor's mapped bytes. */
    boolean readable(TensorView view) {
        Source s = byName.get(view.name());
        MemorySegment data = view.data();
        return s != null && data.isMapped() && data.address() == s.address() && data.byteSize() == s.bytes();
    }

    /** Rows {@code [first, first + n)} of a {@link #readable} view into {@code dst} (exactly their bytes). */
    void read(TensorView view, long first, MemorySegment dst) throws IOException {
        try {
            files.read(byName.get(view.name()).region(), first * view.rowBytes(), dst);
        } catch (EOFException e) {
            throw new EOFException("tensor '" + view.name() + "': " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        files.close();
    }
}
