package dev.quant4j.safetensors.tck;

import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.safetensors.SafetensorsFormatProvider;
import dev.quant4j.tck.FormatProviderTestCase;
import dev.quant4j.tck.SampleModel;
import java.util.List;

class SafetensorsFormatProviderTest extends FormatProviderTestCase {
    @Override protected FormatProvider provider() { return new SafetensorsFormatProvider(); }

    /** safetensors metadata is a string-to-string map. */
    @Override protected SampleModel sampleModel() {
        return SampleModel.of(new Metadata(List.of(new Metadata.Entry("format", new MetaValue.Text("pt")),
                new Metadata.Entry("tck.string", new MetaValue.Text("multi-byte UTF-8: h\u00e9llo \u2713 \"q\"\n")),
                new Metadata.Entry("tck.empty", new MetaValue.Text("")))));
    }
}
