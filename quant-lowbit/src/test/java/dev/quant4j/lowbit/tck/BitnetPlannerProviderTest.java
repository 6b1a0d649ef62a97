package dev.quant4j.lowbit.tck;

import dev.quant4j.api.spi.*;
import dev.quant4j.tck.*;
import java.util.*;

class BitnetPlannerProviderTest extends PlannerProviderTestCase {
    @Override protected PlannerProvider<?> provider() { return new dev.quant4j.lowbit.bitnet.BitnetPlannerProvider(); }
    // the kit's world has one quantizer per ggml type; the ternary tensors need bitnet-absmean too
    @Override protected Set<String> installedQuantizers() { Set<String> s = new HashSet<>(super.installedQuantizers()); s.add("bitnet-absmean"); return s; }
}
