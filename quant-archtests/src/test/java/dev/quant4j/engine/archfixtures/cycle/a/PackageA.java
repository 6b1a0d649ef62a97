package dev.quant4j.engine.archfixtures.cycle.a;

import dev.quant4j.engine.archfixtures.cycle.b.PackageB;

/** Violates rule 7 (packages): a.PackageA -> b.PackageB -> a.PackageA, inside one module. */
public final class PackageA {
    public PackageB next() {
        return new PackageB();
    }
}
