package dev.quant4j.gguf.io;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.error.UnsupportedFormatVersionException;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorInfo;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates the header of one GGUF file held in a (mapped) segment. Only the header is touched;
 * tensor data is checked for position and size, never read. The checks are llama.cpp's loader rules
 * (spec/gguf.md section 10) plus the {@link ReadLimits}.
 */
final class HeaderReader {
    /** Smallest possible KV record: empty key, type, one byte. */
    private static final long MIN_KV_BYTES = 8 + 4 + 1;
    /** Smallest possible tensor info: empty name, n_dims, one dim, type, offset. */
    private static final long MIN_TENSOR_INFO_BYTES = 8 + 4 + 8 + 4 + 8;

    private final ByteCursor in;
    private final MetadataDecoder values;
    /** Where each tensor's offset field starts, for error messages. */
    private final List<Long> offsetFields = new ArrayList<>();
    private final Map<String, Long> keyOffsets = new HashMap<>();

    private HeaderReader(Path file, MemorySegment data) {
        this.in = new ByteCursor(file, data);
        this.values = new MetadataDecoder(in);
    }

    static GgufHeader read(Path file, MemorySegment data) throws CorruptFormatException {
        return new HeaderReader(file, data).read();
    }

    private GgufHeader read() throws CorruptFormatException {
        readMagic();
        int version = readVersion();
        long tensorCount = count("tensor_count", ReadLimits.MAX_TENSORS);
        long kvCount = count("kv_count", ReadLimits.MAX_METADATA_VALUES);
        long needed = tensorCount * MIN_TENSOR_INFO_BYTES + kvCount * MIN_KV_BYTES;
        if (needed > in.remaining()) {
            throw in.corrupt(16, "kv_count", kvCount + " metadata pairs and " + tensorCount
                    + " tensor infos need at least " + needed + " bytes but the file has " + in.remaining() + " left");
        }
        Metadata metadata = readMetadata(kvCount);
        long alignment = alignment(metadata);
        List<TensorInfo> tensors = readTensorInfos(tensorCount);
        long headerEnd = in.position();
        long dataOffset = GgufConstants.alignUp(headerEnd, alignment);
        checkData(tensors, alignment, dataOffset);
        return new GgufHeader(version, alignment, metadata, tensors, headerEnd, dataOffset, in.size(), keyOffsets);
    }

    private void readMagic() throws CorruptFormatException {
        if (in.size() < 4) {
            throw in.corrupt(0, "magic", "file of " + in.size() + " bytes is too short to be GGUF");
        }
        long magic = in.u32("magic");
        if (magic != (GgufConstants.MAGIC & 0xFFFF_FFFFL)) {
            throw in.corrupt(0, "magic", String.format("expected \"GGUF\" (47 47 55 46), found %02x %02x %02x %02x;"
                    + " not a GGUF file", magic & 0xFF, magic >> 8 & 0xFF, magic >> 16 & 0xFF, magic >> 24 & 0xFF));
        }
    }

    private int readVersion() throws CorruptFormatException {
        long v = in.u32("version");
        Path f = in.file();
        if (v == GgufConstants.VERSION) {
            return (int) v;
        }
        if (v == 0) {
            throw in.corrupt(4, "version", "version 0 is not a GGUF version");
        }
        if ((v & 0xFFFF) == 0) {
            throw new UnsupportedFormatVersionException(f, 4, "version", "the file looks byte-swapped (big-endian"
                    + " GGUF, version field " + v + "); only little-endian GGUF is supported");
        }
        if (v < GgufConstants.VERSION) {
            throw new UnsupportedFormatVersionException(f, 4, "version", "GGUF version " + v
                    + " is not supported (only version 3). Convert the file with a current llama.cpp,"
                    + " e.g. `llama-quantize --allow-requantize IN OUT COPY`");
        }
        throw new UnsupportedFormatVersionException(f, 4, "version", "GGUF version " + v
                + " is newer than this reader (version 3); upgrade quant4j");
    }

    private long count(String field, long limit) throws CorruptFormatException {
        long at = in.position();
        long n = in.u64(field);
        if (n < 0 || n > limit) {
            throw in.corrupt(at, field, Long.toUnsignedString(n) + " exceeds the limit of " + limit);
        }
        return n;
    }

    private Metadata readMetadata(long kvCount) throws CorruptFormatException {
        List<Metadata.Entry> entries = new ArrayList<>((int) Math.min(kvCount, 1024));
        for (long i = 0; i < kvCount; i++) {
            long at = in.position();
            String field = "metadata key #" + i;
            String key = values.string(field);
            if (keyOffsets.putIfAbsent(key, at) != null) {
                throw in.corrupt(at, field, "duplicate key '" + key + "'");
            }
            String vfield = "value of '" + key + "'";
            MetaType type = values.type(vfield + " type");
            entries.add(new Metadata.Entry(key, values.value(type, vfield, 0)));
        }
        return new Metadata(entries);
    }

    private long alignment(Metadata metadata) throws CorruptFormatException {
        var value = metadata.get(GgufConstants.KEY_ALIGNMENT);
        if (value.isEmpty()) {
            return GgufConstants.DEFAULT_ALIGNMENT;
        }
        String field = GgufConstants.KEY_ALIGNMENT;
        long alignmentAt = keyOffsets.get(field);
        if (!(value.get() instanceof MetaValue.Int(MetaType t, long a)) || t != MetaType.UINT32) {
            throw in.corrupt(alignmentAt, field, "must be a uint32, found " + value.get().type().label());
        }
        if (!GgufConstants.isPowerOfTwo(a)) {
            throw in.corrupt(alignmentAt, field, "alignment " + a + " is not a power of two");
        }
        return a;
    }

    private List<TensorInfo> readTensorInfos(long count) throws CorruptFormatException {
        List<TensorInfo> out = new ArrayList<>((int) Math.min(count, 4096));
        Set<String> names = new HashSet<>();
        for (long i = 0; i < count; i++) {
            long at = in.position();
            String name = values.string("name of tensor #" + i);
            if (name.getBytes(StandardCharsets.UTF_8).length >= GgufConstants.MAX_TENSOR_NAME_BYTES) {
                throw in.corrupt(at, "name of tensor #" + i, "tensor name '" + name + "' is "
                        + name.getBytes(StandardCharsets.UTF_8).length + " bytes long; llama.cpp allows at most "
                        + (GgufConstants.MAX_TENSOR_NAME_BYTES - 1));
            }
            if (!names.add(name)) {
                throw in.corrupt(at, "name of tensor #" + i, "duplicate tensor name '" + name + "'");
            }
            out.add(readTensorInfo(name));
        }
        return out;
    }

    private TensorInfo readTensorInfo(String name) throws CorruptFormatException {
        String field = "tensor '" + name + "'";
        long dimsAt = in.position();
        long nDims = in.u32(field + " n_dims");
        if (nDims < 1 || nDims > GgufConstants.MAX_DIMS) {
            throw in.corrupt(dimsAt, field + " n_dims", "n_dims is " + nDims + "; must be 1.." + GgufConstants.MAX_DIMS);
        }
        long[] ne = new long[(int) nDims];
        for (int d = 0; d < nDims; d++) {
            long at = in.position();
            ne[d] = in.u64(field + " ne[" + d + "]");
            if (ne[d] <= 0) {
                throw in.corrupt(at, field + " ne[" + d + "]", "dimension " + ne[d] + (ne[d] == 0
                        ? " (empty tensors are not supported)" : " is negative"));
            }
        }
        long typeAt = in.position();
        long typeId = in.u32(field + " type");
        DType type = GgmlTypeIds.live(typeId).orElseThrow(() -> in.corrupt(typeAt, field + " type",
                GgmlTypeIds.problem(typeId)));
        if (ne[0] % type.blockSize() != 0) {
            throw in.corrupt(dimsAt, field + " ne[0]", "row length " + ne[0] + " is not a multiple of "
                    + type.blockSize() + " required by " + type.lowerName());
        }
        Shape shape;
        long bytes;
        try {
            shape = Shape.of(ne);
            bytes = TensorInfo.byteSize(type, shape);
        } catch (ArithmeticException e) {
            throw in.corrupt(dimsAt, field + " ne", "element count or byte size of shape "
                    + java.util.Arrays.toString(ne) + " overflows 64 bits");
        }
        offsetFields.add(in.position());
        long offset = in.u64(field + " offset");
        return new TensorInfo(name, type, shape, offset, bytes);
    }

    /** Offsets must be exactly contiguous and aligned (llama.cpp's rule) and the data must lie in the file. */
    private void checkData(List<TensorInfo> tensors, long alignment, long dataOffset) throws CorruptFormatException {
        if (tensors.isEmpty()) {
            return;
        }
        if (dataOffset > in.size()) {
            throw in.corrupt(in.position(), "data section", "the data section would start at " + dataOffset
                    + " but the file has only " + in.size() + " bytes; truncated file?");
        }
        long expected = 0;
        for (int i = 0; i < tensors.size(); i++) {
            TensorInfo t = tensors.get(i);
            long infoEnd = offsetFields.get(i);
            String field = "tensor '" + t.name() + "' offset";
            if (t.offset() < 0 || t.offset() % alignment != 0) {
                throw in.corrupt(infoEnd, field, "offset " + Long.toUnsignedString(t.offset())
                        + " is not a multiple of the alignment " + alignment);
            }
            if (t.offset() != expected) {
                throw in.corrupt(infoEnd, field, "offset " + t.offset() + ", expected " + expected
                        + ": tensor data must be contiguous in tensor-info order, as llama.cpp requires"
                        + (t.offset() < expected ? " (it overlaps the previous tensor)" : ""));
            }
            long end = dataOffset + t.offset() + t.byteSize();
            if (end < 0 || end > in.size()) {
                throw in.corrupt(infoEnd, field, "data of " + t.byteSize() + " bytes at " + (dataOffset + t.offset())
                        + " runs past the end of the file (" + in.size() + " bytes); truncated file?");
            }
            expected = GgufConstants.alignUp(t.offset() + t.byteSize(), alignment);
        }
    }
}
