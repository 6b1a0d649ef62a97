package dev.quant4j.gguf.plan;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * llama-quantize's {@code --prune-layers}: drops whole blocks and renumbers the rest contiguously. Names are
 * visited in loader order; the first {@code blk.N.} anywhere in a name is the block number (as upstream's
 * regex search finds it). Not thread safe; one instance per plan.
 */
final class LayerPruner {
    private static final Pattern BLOCK = Pattern.compile("blk\\.(\\d+)\\.");

    private final List<Integer> prune;
    private final Map<Integer, String> mapped = new HashMap<>();
    private int nextId;

    LayerPruner(List<Integer> sortedPrune) {
        this.prune = List.copyOf(sortedPrune);
    }

    /** The new name, or null when the tensor's block is pruned. */
    String rename(String name) {
        if (prune.isEmpty()) {
            return name;
        }
        Matcher m = BLOCK.matcher(name);
        if (!m.find()) {
            return name;
        }
        int block = parseBlock(m.group(1));
        String id = mapped.get(block);
        if (id == null) {
            if (prune.contains(block)) {
                id = "";
            } else if (block < prune.getFirst()) {
                id = Integer.toString(block);
                nextId = block + 1;
            } else {
                id = Integer.toString(nextId++);
            }
            mapped.put(block, id);
        }
        return id.isEmpty() ? null : name.substring(0, m.start(1)) + id + name.substring(m.end(1));
    }

    /** The block count written after pruning. */
    int blockCount() {
        return nextId;
    }

    private static int parseBlock(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("block number " + digits + " is out of range", e);
        }
    }
}
