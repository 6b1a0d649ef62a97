package dev.quant4j.importance.cost;

import dev.quant4j.api.tensor.TensorActivationStats;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of tensor bytes, importance rows and key strings, for cost cache keys. */
final class ContentHash {
    private static final int CHUNK = 1 << 20;

    private final MessageDigest md;

    ContentHash() {
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    ContentHash text(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        md.update(ByteBuffer.allocate(4).putInt(b.length).array());
        md.update(b);
        return this;
    }

    /** The tensor's type, shape and raw bytes (read in 1 MiB chunks from the mapping). */
    ContentHash tensor(TensorView v) {
        text(v.type().lowerName()).text(v.shape().toString());
        MemorySegment data = v.data();
        byte[] buf = new byte[CHUNK];
        for (long off = 0; off < data.byteSize(); off += CHUNK) {
            int len = (int) Math.min(CHUNK, data.byteSize() - off);
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, off, buf, 0, len);
            md.update(buf, 0, len);
        }
        return this;
    }

    ContentHash importance(TensorActivationStats s) {
        if (s == null) {
            return text("no-importance");
        }
        text("importance " + s.columns() + "x" + s.slices());
        long n = s.meanSquares().byteSize();
        byte[] buf = new byte[(int) Math.min(n, CHUNK)];
        for (long off = 0; off < n; off += buf.length) {
            int len = (int) Math.min(buf.length, n - off);
            MemorySegment.copy(s.meanSquares(), ValueLayout.JAVA_BYTE, off, buf, 0, len);
            md.update(buf, 0, len);
        }
        return this;
    }

    String hex() {
        return HexFormat.of().formatHex(md.digest());
    }
}
