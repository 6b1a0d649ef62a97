package dev.quant4j.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void readsEveryKindOfValue() {
        Object v = Json.parse(" {\"a\": [1, -2.5e3, 0.5], \"b\": {\"c\": null, \"d\": true, \"e\": false},"
                + " \"s\": \"q\\\"\\\\\\/\\n\\u00e9\"} ");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", List.of(1.0, -2500.0, 0.5));
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("c", null);
        b.put("d", true);
        b.put("e", false);
        expected.put("b", b);
        expected.put("s", "q\"\\/\n\u00e9");
        assertEquals(expected, v);
        assertEquals(List.of("a", "b", "s"), List.copyOf(((Map<?, ?>) v).keySet()), "key order kept");
    }

    @Test
    void numbersWithExponentsBeyondBigDecimalsScaleStillConvert() {
        // found by fuzzing config.json: BigDecimal refuses exponents beyond an int; the double is still defined
        assertEquals(Double.POSITIVE_INFINITY, new JsonValue.Num("1e9999999999").asDouble());
        assertEquals(0.0, new JsonValue.Num("1e-07777777777777777777777776").asDouble());
        assertEquals(-2500.0, new JsonValue.Num("-2.5e3").asDouble());
    }

    @Test
    void refusesWhatJsonDoesNotAllowSayingWhere() {
        for (String bad : Arrays.asList("{\"a\": 1,}", "[1, 2", "{\"a\": 1, \"a\": 2}", "{'a': 1}", "01", "1.", "-",
                "\"\\x\"", "[1] 2", "{\"a\" 1}", "\"tab\there\"", "// c\n1", "nul", "")) {
            var e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().contains("line ") && e.getMessage().contains("column "), e.getMessage());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\n  \"a\": 1,\n  \"a\": 2}"));
        assertTrue(e.getMessage().contains("duplicate key \"a\" at line 3, column 3"), e.getMessage());
    }
}
