package dev.quant4j.importance.archfixtures;

import dev.quant4j.smooth.archfixtures.SmoothUsingImportance;

/** The other half of the module cycle. */
public final class ImportanceUsingSmooth {
    public SmoothUsingImportance smooth() {
        return new SmoothUsingImportance();
    }
}
