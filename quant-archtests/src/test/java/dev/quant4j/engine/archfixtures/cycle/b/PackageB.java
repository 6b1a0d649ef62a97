package dev.quant4j.engine.archfixtures.cycle.b;

import dev.quant4j.engine.archfixtures.cycle.a.PackageA;

/** The other half of the package cycle. */
public final class PackageB {
    public PackageA back() {
        return new PackageA();
    }
}
