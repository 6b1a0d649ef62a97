package dev.quant4j.gguf.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A llama-quantize command line translated into the planner's options: the test feeds the reference runs'
 * own command lines, so no option set is transcribed by hand.
 *
 * @param options     our {@code key=value} options
 * @param imatrixFile the {@code --imatrix} argument, or null
 * @param prune       {@code --prune-layers} (not a public option, see PlanSettings)
 * @param positional  input file, file type, thread count
 */
record QuantizeCommand(Map<String, String> options, String imatrixFile, List<Integer> prune, List<String> positional) {

    static QuantizeCommand parse(List<String> args) {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        Map<String, String> options = new LinkedHashMap<>();
        String imatrix = null;
        List<Integer> prune = List.of();
        int i = 0;
        for (; i < args.size() && args.get(i).startsWith("--"); i++) {
            String a = args.get(i);
            switch (a) {
                case "--dry-run" -> options.put("dry-run", "true");
                case "--pure", "--leave-output-tensor", "--allow-requantize", "--keep-split" ->
                        options.put(a.substring(2), "true");
                case "--output-tensor-type", "--token-embedding-type" -> options.put(a.substring(2), args.get(++i));
                case "--tensor-type", "--include-weights", "--exclude-weights", "--override-kv" ->
                        multi.computeIfAbsent(a.substring(2), k -> new ArrayList<>()).add(args.get(++i));
                case "--imatrix" -> imatrix = args.get(++i);
                case "--prune-layers" -> prune = Arrays.stream(args.get(++i).split(",")).map(Integer::valueOf).toList();
                default -> throw new IllegalArgumentException("option " + a + " not translated");
            }
        }
        multi.forEach((k, v) -> options.put(k, String.join(",", v)));
        List<String> positional = args.subList(i, args.size());
        options.put("file-type", positional.get(1));
        return new QuantizeCommand(options, imatrix, prune, positional);
    }
}
