/** Conformance kit for quant4j providers. */
package dev.quant4j.tck;
