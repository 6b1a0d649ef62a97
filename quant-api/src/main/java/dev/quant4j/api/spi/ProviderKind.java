package dev.quant4j.api.spi;

/** The extension points. */
public enum ProviderKind {
    QUANTIZER("quantizer"), CALIBRATOR("calibrator"), FORMAT("format"), PLANNER("planner"), ARCHITECTURE("architecture"),
    TRANSFORM("transform");

    private final String label;

    ProviderKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
