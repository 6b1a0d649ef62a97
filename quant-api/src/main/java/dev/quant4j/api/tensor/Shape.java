package dev.quant4j.api.tensor;

import java.util.List;

/**
 * A tensor shape in ggml order: {@code ne(0)} is the row length (the fastest-varying dimension),
 * every further dimension counts rows of rows.
 */
public record Shape(List<Long> dims) {
    public Shape {
        dims = List.copyOf(dims);
        if (dims.isEmpty() || dims.size() > 4) {
            throw new IllegalArgumentException("a shape has 1 to 4 dimensions, got " + dims.size());
        }
        long n = 1;
        for (long d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("dimension " + d + " in " + dims + " is not positive");
            }
            n = Math.multiplyExact(n, d);
        }
    }

    public static Shape of(long... ne) {
        Long[] boxed = new Long[ne.length];
        for (int i = 0; i < ne.length; i++) {
            boxed[i] = ne[i];
        }
        return new Shape(List.of(boxed));
    }

    public int rank() {
        return dims.size();
    }

    public long ne(int i) {
        return i < dims.size() ? dims.get(i) : 1L;
    }

    public long rowLength() {
        return dims.get(0);
    }

    /** Number of rows: the product of every dimension but the first. */
    public long rows() {
        return elementCount() / rowLength();
    }

    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    /** ggml order, row length first, the one way shapes are written everywhere (tables and messages): {@code 768x2048}. */
    @Override
    public String toString() {
        return dims.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining("x"));
    }
}
