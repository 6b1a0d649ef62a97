package dev.quant4j.smooth.archfixtures;

import dev.quant4j.importance.archfixtures.ImportanceUsingSmooth;

/** Violates rule 7 (modules): smooth -> importance -> smooth. */
public final class SmoothUsingImportance {
    public ImportanceUsingSmooth importance() {
        return new ImportanceUsingSmooth();
    }
}
