package dev.quant4j.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.quant4j.api.spi.ContainerInfo;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.util.List;

/**
 * The machine-readable report of {@code quant inspect --json} (schema in docs/gguf.md): everything the header
 * holds, in file order. float32 values are written as floats (their shortest decimal that reads back to the
 * same bits), uint64 values as unsigned numbers. Split models add {@code files} and a per-tensor {@code file}.
 */
final class InspectJson {
    private InspectJson() {
    }

    static void write(Writer out, InspectedModel m) throws IOException {
        try (JsonGenerator g = JsonFactory.builder().build().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            ContainerInfo c = m.container();
            boolean split = c.files().size() > 1;
            g.writeStartObject();
            g.writeNumberField("version", c.version());
            g.writeNumberField("alignment", c.alignment());
            g.writeNumberField("data_offset", c.dataOffset());
            if (split) {
                g.writeArrayFieldStart("files");
                for (var f : c.files()) {
                    g.writeString(f.toString());
                }
                g.writeEndArray();
            }
            g.writeArrayFieldStart("metadata");
            for (Metadata.Entry e : m.metadata().entries()) {
                g.writeStartObject();
                g.writeStringField("key", e.key());
                g.writeStringField("type", e.value().type().label());
                if (e.value() instanceof MetaValue.Array a) {
                    g.writeStringField("element_type", a.elementType().label());
                }
                g.writeFieldName("value");
                value(g, e.value());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("tensors");
            for (InspectedModel.Located t : m.tensors()) {
                g.writeStartObject();
                g.writeStringField("name", t.info().name());
                g.writeStringField("type", t.info().type().lowerName());
                g.writeArrayFieldStart("shape");
                for (long d : t.info().shape().dims()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                if (split) {
                    g.writeNumberField("file", t.file());
                }
                g.writeNumberField("offset", t.offset());
                g.writeNumberField("bytes", t.info().byteSize());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out.write(System.lineSeparator());
    }

    private static void value(JsonGenerator g, MetaValue v) throws IOException {
        switch (v) {
            case MetaValue.Int(MetaType t, long x) -> {
                if (t == MetaType.UINT64 && x < 0) {
                    g.writeNumber(new BigInteger(Long.toUnsignedString(x)));
                } else {
                    g.writeNumber(x);
                }
            }
            case MetaValue.Real(MetaType t, double x) -> {
                if (t == MetaType.FLOAT32) {
                    g.writeNumber((float) x);
                } else {
                    g.writeNumber(x);
                }
            }
            case MetaValue.Bool(boolean b) -> g.writeBoolean(b);
            case MetaValue.Text(String s) -> g.writeString(s);
            case MetaValue.Array(MetaType element, List<MetaValue> values) -> {
                g.writeStartArray();
                for (MetaValue item : values) {
                    value(g, item);
                }
                g.writeEndArray();
            }
        }
    }
}
