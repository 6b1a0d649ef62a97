/** The conformance kit: abstract tests every provider's tests extend. */
module dev.quant4j.tck {
    requires transitive dev.quant4j.api;
    requires transitive org.junit.jupiter.api;
    requires org.junit.jupiter.params;
    exports dev.quant4j.tck;
}
