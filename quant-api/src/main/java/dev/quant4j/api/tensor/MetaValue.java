package dev.quant4j.api.tensor;

import java.util.List;
import java.util.Objects;

/** A typed metadata value; the type is kept so that a rewrite reproduces the input exactly. */
public sealed interface MetaValue {
    MetaType type();

    /** Any integer type; {@code value} holds the raw bits (uint64 beyond 2^63 reads negative). */
    record Int(MetaType type, long value) implements MetaValue {
        public Int {
            if (!type.isInteger()) {
                throw new IllegalArgumentException(type + " is not an integer type");
            }
        }
    }

    /** float32 or float64; a float32 is held exactly in the double. */
    record Real(MetaType type, double value) implements MetaValue {
        public Real {
            if (type != MetaType.FLOAT32 && type != MetaType.FLOAT64) {
                throw new IllegalArgumentException(type + " is not a float type");
            }
        }
    }

    record Bool(boolean value) implements MetaValue {
        @Override
        public MetaType type() {
            return MetaType.BOOL;
        }
    }

    record Text(String value) implements MetaValue {
        public Text {
            Objects.requireNonNull(value);
        }

        @Override
        public MetaType type() {
            return MetaType.STRING;
        }
    }

    /** A homogeneous array; elements of type ARRAY nest. */
    record Array(MetaType elementType, List<MetaValue> values) implements MetaValue {
        public Array {
            values = List.copyOf(values);
            for (MetaValue v : values) {
                if (v.type() != elementType) {
                    throw new IllegalArgumentException("array of " + elementType + " holds a " + v.type());
                }
            }
        }

        @Override
        public MetaType type() {
            return MetaType.ARRAY;
        }
    }

    static MetaValue u32(long v) {
        return new Int(MetaType.UINT32, v);
    }

    static MetaValue i32(long v) {
        return new Int(MetaType.INT32, v);
    }

    static MetaValue text(String v) {
        return new Text(v);
    }
}
