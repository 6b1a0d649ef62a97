/** The `quant` command line. */
module dev.quant4j.cli {
    requires dev.quant4j.engine;
    requires dev.quant4j.eval;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires ch.qos.logback.classic;
    requires ch.qos.logback.core;
    provides ch.qos.logback.classic.spi.Configurator with dev.quant4j.cli.LogSetup;
    opens dev.quant4j.cli to info.picocli;
}
