import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Prints the one line at the end of the build: how many llama.cpp reference-vector tests ran and where their
 * data came from. Reads (and then removes) the records GgmlReferenceVectorsTestCase leaves in the folder given
 * as the argument. Run by quant-archtests in the verify phase: {@code java tools/ConformanceSummary.java DIR}.
 */
void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    TreeMap<String, Integer> tests = new TreeMap<>();
    TreeMap<String, java.util.Set<String>> types = new TreeMap<>();
    if (Files.isDirectory(dir)) {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".txt")).toList()) {
                String[] f = Files.readString(p).trim().split(" ");
                tests.merge(f[2], Integer.parseInt(f[1]), Integer::sum);
                types.computeIfAbsent(f[2], k -> new java.util.TreeSet<>()).add(f[0]);
                Files.delete(p);
            }
        }
    }
    if (tests.isEmpty()) {
        IO.println("conformance: no llama.cpp reference-vector tests ran in this build");
        return;
    }
    List<String> parts = tests.keySet().stream().map(o -> tests.get(o) + " tests of " + types.get(o).size() + (types.get(o).size() == 1 ? " type" : " types") + " from "
            + (o.equals("full") ? "the full set in ../shared/vectors" : "the bundled subset (no ../shared/vectors)")).toList();
    IO.println("conformance: " + tests.values().stream().mapToInt(Integer::intValue).sum()
            + " llama.cpp reference-vector tests ran: " + String.join(", ", parts));
}
