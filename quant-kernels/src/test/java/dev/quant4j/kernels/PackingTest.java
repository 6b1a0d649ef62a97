package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PackingTest {
    @Test
    void kScalePackingHandComputed() {
        byte[] sc = {1, 2, 3, 4, 17, 33, 63, 0};
        byte[] m = {5, 6, 7, 8, 48, 15, 31, 62};
        byte[] out = new byte[13];
        KScalePacking.pack(sc, 0, m, 0, out, 1);
        byte[] expected = {0, 0x41, (byte) 0x82, (byte) 0xC3, 0x04, (byte) 0xC5, 0x06, 0x47, (byte) 0xC8,
                0x01, (byte) 0xF1, (byte) 0xFF, (byte) 0xE0};
        assertArrayEquals(expected, out);
        for (int j = 0; j < 8; j++) {
            assertEquals(sc[j], KScalePacking.scale(out, 1, j), "scale " + j);
            assertEquals(m[j], KScalePacking.min(out, 1, j), "min " + j);
        }
    }

    @Test
    void kScalePackingRoundTripsEverySixBitValue() {
        SplittableRandom r = new SplittableRandom(3);
        byte[] sc = new byte[8];
        byte[] m = new byte[8];
        byte[] out = new byte[12];
        for (int t = 0; t < 5000; t++) {
            for (int j = 0; j < 8; j++) {
                sc[j] = (byte) r.nextInt(64);
                m[j] = (byte) r.nextInt(64);
            }
            KScalePacking.pack(sc, 0, m, 0, out, 0);
            for (int j = 0; j < 8; j++) {
                assertEquals(sc[j], KScalePacking.scale(out, 0, j));
                assertEquals(m[j], KScalePacking.min(out, 0, j));
            }
        }
    }

    @Test
    void quarterPackingHandComputed() {
        byte[] L = new byte[256];
        for (int e = 0; e < 256; e++) {
            L[e] = (byte) (e % 4);
        }
        byte[] out = new byte[64];
        QuarterPacking.pack(L, 0, out, 0);
        // byte 32h + l holds elements 128h + l + 32j, all congruent to l mod 4
        for (int i = 0; i < 64; i++) {
            assertEquals((byte) ((i % 32 % 4) * 0x55), out[i], "byte " + i);
        }
        byte[] single = new byte[256];
        single[197] = 3; // h = 1, j = 2, l = 5
        QuarterPacking.pack(single, 0, out, 0);
        for (int i = 0; i < 64; i++) {
            assertEquals(i == 37 ? 0x30 : 0, out[i], "byte " + i);
        }
        assertEquals(3, QuarterPacking.level(out, 0, 197));
        assertEquals(0, QuarterPacking.level(out, 0, 196));
    }

    @Test
    void quarterPackingRoundTrips() {
        SplittableRandom r = new SplittableRandom(4);
        byte[] L = new byte[300];
        byte[] out = new byte[70];
        for (int e = 0; e < L.length; e++) {
            L[e] = (byte) r.nextInt(4);
        }
        QuarterPacking.pack(L, 7, out, 3);
        for (int e = 0; e < 256; e++) {
            assertEquals(L[7 + e], QuarterPacking.level(out, 3, e));
        }
    }

    @Test
    void littleEndianFields() {
        byte[] b = new byte[8];
        LittleEndian.putShort(b, 1, (short) 0x1234);
        LittleEndian.putInt(b, 3, 0xA1B2C3D4);
        assertArrayEquals(new byte[] {0, 0x34, 0x12, (byte) 0xD4, (byte) 0xC3, (byte) 0xB2, (byte) 0xA1, 0}, b);
        assertEquals(0x1234, LittleEndian.getShort(b, 1));
        assertEquals(0xA1B2C3D4, LittleEndian.getInt(b, 3));
        assertEquals(0.333251953125f, LittleEndian.putHalf(b, 0, 1f / 3));
        assertEquals(0x3555, LittleEndian.getShort(b, 0));
        assertEquals(0.333251953125f, LittleEndian.getHalf(b, 0));
        LittleEndian.putFloat(b, 4, 1f);
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3F}, java.util.Arrays.copyOfRange(b, 4, 8));
    }
}
