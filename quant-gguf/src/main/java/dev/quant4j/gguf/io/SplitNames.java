package dev.quant4j.gguf.io;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** llama.cpp's shard file names: {@code PREFIX-%05d-of-%05d.gguf}, shard numbers 1-based. */
final class SplitNames {
    private static final Pattern SHARD = Pattern.compile("(.+)-(\\d{5,})-of-(\\d{5,})\\.gguf");

    private SplitNames() {
    }

    /** The file of shard {@code index} (0-based) of {@code count} for a prefix such as {@code dir/model}. */
    static Path shard(Path prefix, int index, int count) {
        String name = String.format(Locale.ROOT, "%s-%05d-of-%05d.gguf", prefix.getFileName(), index + 1, count);
        return prefix.resolveSibling(name);
    }

    /** The prefix of a shard file name when it is shard {@code index} of {@code count}. */
    static Optional<Path> prefixOf(Path shardFile, int index, int count) {
        Matcher m = SHARD.matcher(shardFile.getFileName().toString());
        if (!m.matches() || Long.parseLong(m.group(2)) != index + 1L || Long.parseLong(m.group(3)) != count) {
            return Optional.empty();
        }
        return Optional.of(shardFile.resolveSibling(m.group(1)));
    }

    /** The prefix a writer uses for output {@code out}: its name without a {@code .gguf} extension. */
    static Path prefixForOutput(Path out) {
        String name = out.getFileName().toString();
        return name.toLowerCase(Locale.ROOT).endsWith(".gguf") && name.length() > 5
                ? out.resolveSibling(name.substring(0, name.length() - 5)) : out;
    }
}
