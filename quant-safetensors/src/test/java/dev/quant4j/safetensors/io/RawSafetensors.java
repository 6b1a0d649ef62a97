package dev.quant4j.safetensors.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Hand-made safetensors bytes for hostile-input tests: any header text, any length field, any data. */
final class RawSafetensors {
    private RawSafetensors() {
    }

    static byte[] of(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return of(h.length, h, dataBytes);
    }

    static byte[] of(long lengthField, byte[] header, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(lengthField).put(header);
        return b.array();
    }

    /** A header entry. */
    static String t(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
                + end + "]}";
    }
}
