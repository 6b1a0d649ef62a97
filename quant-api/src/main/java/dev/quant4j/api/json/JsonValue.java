package dev.quant4j.api.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A parsed JSON value. Objects keep their key order (safetensors headers are ordered) and never repeat a key. */
public sealed interface JsonValue {
    /** A short name of the kind of value, for error messages. */
    String kind();

    record Obj(Map<String, JsonValue> members) implements JsonValue {
        public Obj {
            members = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(members));
        }

        @Override
        public String kind() {
            return "object";
        }

        public Optional<JsonValue> get(String key) {
            return Optional.ofNullable(members.get(key));
        }

        public Optional<String> string(String key) {
            return get(key).filter(Str.class::isInstance).map(v -> ((Str) v).value());
        }

        public Optional<Long> integer(String key) {
            return get(key).filter(Num.class::isInstance).flatMap(v -> ((Num) v).asLong());
        }

        public Optional<Double> number(String key) {
            return get(key).filter(Num.class::isInstance).map(v -> ((Num) v).asDouble());
        }

        public Optional<Boolean> bool(String key) {
            return get(key).filter(Bool.class::isInstance).map(v -> ((Bool) v).value());
        }

        public Optional<Obj> object(String key) {
            return get(key).filter(Obj.class::isInstance).map(Obj.class::cast);
        }

        public Optional<Arr> array(String key) {
            return get(key).filter(Arr.class::isInstance).map(Arr.class::cast);
        }
    }

    record Arr(List<JsonValue> values) implements JsonValue {
        public Arr {
            values = List.copyOf(values);
        }

        @Override
        public String kind() {
            return "array";
        }
    }

    record Str(String value) implements JsonValue {
        public Str {
            Objects.requireNonNull(value);
        }

        @Override
        public String kind() {
            return "string";
        }
    }

    /** A number as written; {@code text} is valid JSON number syntax. */
    record Num(String text) implements JsonValue {
        @Override
        public String kind() {
            return "number";
        }

        /** The value when it is an integer that fits a long (no fraction, no exponent). */
        public Optional<Long> asLong() {
            if (text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0) {
                return Optional.empty();
            }
            BigInteger v = new BigInteger(text);
            return v.bitLength() < 64 ? Optional.of(v.longValue()) : Optional.empty();
        }

        /** True when the number has no fraction or exponent part (JSON integers as Python writes them). */
        public boolean isIntegral() {
            return text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
        }

        public double asDouble() {
            try {
                return new BigDecimal(text).doubleValue();
            } catch (NumberFormatException e) { // an exponent beyond BigDecimal's int scale, e.g. 1e9999999999
                return Double.parseDouble(text); // valid JSON syntax: gives ±Infinity or ±0.0
            }
        }
    }

    record Bool(boolean value) implements JsonValue {
        @Override
        public String kind() {
            return "boolean";
        }
    }

    record Null() implements JsonValue {
        @Override
        public String kind() {
            return "null";
        }
    }
}
