package dev.quant4j.api.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The buffer is reused for requests up to the largest so far and grows past it. */
class GrowingBufferTest {
    @Test
    void reusesItsMemoryAndGrowsOnlyForLargerRequests() {
        GrowingBuffer b = new GrowingBuffer(1024);
        MemorySegment first = b.get(100);
        assertEquals(100, first.byteSize());
        MemorySegment again = b.get(1024);   // within the minimum: the same memory
        assertEquals(first.address(), again.address());
        assertEquals(1024, again.byteSize());
        MemorySegment larger = b.get(5000);
        assertEquals(5000, larger.byteSize());
        assertNotEquals(first.address(), larger.address());
        assertEquals(larger.address(), b.get(4000).address());
    }
}
