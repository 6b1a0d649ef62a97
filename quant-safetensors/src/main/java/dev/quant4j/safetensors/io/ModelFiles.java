package dev.quant4j.safetensors.io;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.json.JsonValue;
import dev.quant4j.api.json.JsonException;
import dev.quant4j.api.json.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Which files make a model: a single {@code .safetensors} file; an index ({@code *.safetensors.index.json}) and
 * the shards it names; or a directory, holding an index ({@code model.safetensors.index.json}), a
 * {@code model.safetensors}, or else every {@code *.safetensors} file in it (sorted by name).
 *
 * @param files     the safetensors files, sorted by name as convert_hf_to_gguf orders them
 * @param index     the index file, when there is one
 * @param weightMap tensor name → file name from the index (empty without an index)
 */
public record ModelFiles(List<Path> files, Path index, Map<String, String> weightMap) {
    public static final String INDEX = "model.safetensors.index.json";
    public static final String SINGLE = "model.safetensors";
    /** An index larger than this is not a plausible weight map (1M tensors at ~100 bytes). */
    private static final long MAX_INDEX_BYTES = 256L << 20;

    public ModelFiles {
        files = List.copyOf(files);
        weightMap = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(weightMap));
    }

    public static ModelFiles resolve(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            if (Files.isRegularFile(path.resolve(INDEX))) {
                return fromIndex(path.resolve(INDEX));
            }
            if (Files.isRegularFile(path.resolve(SINGLE))) {
                return new ModelFiles(List.of(path.resolve(SINGLE)), null, Map.of());
            }
            List<Path> all = list(path);
            if (all.isEmpty()) {
                throw new NoSuchFileException(path.toString(), null, "the directory holds no .safetensors file");
            }
            return new ModelFiles(all, null, Map.of());
        }
        if (path.getFileName() != null && path.getFileName().toString().endsWith(".index.json")) {
            return fromIndex(path);
        }
        return new ModelFiles(List.of(path), null, Map.of());
    }

    /** True when the directory holds something {@link #resolve} would open. */
    public static boolean isModelDirectory(Path dir) {
        try {
            return Files.isDirectory(dir) && (Files.isRegularFile(dir.resolve(INDEX))
                    || Files.isRegularFile(dir.resolve(SINGLE)) || !list(dir).isEmpty());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".safetensors") && Files.isRegularFile(p))
                    .sorted().toList();
        }
    }

    static ModelFiles fromIndex(Path index) throws IOException {
        long size = Files.size(index);
        if (size > MAX_INDEX_BYTES) {
            throw new CorruptFormatException(index, 0, "index", size + " bytes; an index is at most " + MAX_INDEX_BYTES);
        }
        JsonValue root;
        try {
            root = JsonParser.parse(StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(index))).toString());
        } catch (JsonException e) {
            throw new CorruptFormatException(index, e.offset(), "index JSON", e.getMessage());
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new CorruptFormatException(index, 0, "index JSON", "not valid UTF-8");
        }
        JsonValue.Obj map = (root instanceof JsonValue.Obj o ? o.object("weight_map") : java.util.Optional.<JsonValue.Obj>empty())
                .orElseThrow(() -> new CorruptFormatException(index, 0, "weight_map",
                        "the index has no \"weight_map\" object"));
        Map<String, String> weightMap = new LinkedHashMap<>();
        TreeSet<String> names = new TreeSet<>();
        Path dir = index.toAbsolutePath().getParent();
        for (Map.Entry<String, JsonValue> e : map.members().entrySet()) {
            if (!(e.getValue() instanceof JsonValue.Str s)) {
                throw new CorruptFormatException(index, 0, "weight_map." + e.getKey(), "file name is a "
                        + e.getValue().kind() + ", not a string");
            }
            String f = s.value();
            Path p = dir.resolve(f).normalize();
            if (f.isEmpty() || !p.getParent().equals(dir.normalize())) {
                throw new CorruptFormatException(index, 0, "weight_map." + e.getKey(), "file \"" + f
                        + "\" is not a plain file name beside the index");
            }
            if (!Files.isRegularFile(p)) {
                throw new CorruptFormatException(index, 0, "weight_map." + e.getKey(), "tensor '" + e.getKey()
                        + "' is in \"" + f + "\", which does not exist");
            }
            weightMap.put(e.getKey(), f);
            names.add(f);
        }
        if (names.isEmpty()) {
            throw new CorruptFormatException(index, 0, "weight_map", "the index lists no tensor");
        }
        List<Path> files = new ArrayList<>();
        for (String n : names) {
            files.add(dir.resolve(n));
        }
        return new ModelFiles(files, index, weightMap);
    }
}
