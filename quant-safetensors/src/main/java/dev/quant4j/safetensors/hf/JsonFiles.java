package dev.quant4j.safetensors.hf;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.json.JsonValue;
import dev.quant4j.api.json.JsonException;
import dev.quant4j.api.json.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reading the JSON files of a Hugging Face directory (config, tokenizer), bounded in size. */
final class JsonFiles {
    /** tokenizer.json of large vocabularies is tens of MB; nothing legitimate comes near this. */
    private static final long MAX_BYTES = 512L << 20;

    private JsonFiles() {
    }

    static Optional<JsonValue.Obj> readIfPresent(Path file) throws IOException {
        return Files.isRegularFile(file) ? Optional.of(read(file)) : Optional.empty();
    }

    static JsonValue.Obj read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new CorruptFormatException(file, 0, "JSON", size + " bytes is more than the " + MAX_BYTES + " allowed");
        }
        return parse(file, Files.readAllBytes(file));
    }

    /** Parses the bytes of {@code file} (named in errors) as a JSON object. */
    static JsonValue.Obj parse(Path file, byte[] bytes) throws CorruptFormatException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CorruptFormatException(file, 0, "JSON", "not valid UTF-8");
        }
        JsonValue v;
        try {
            v = JsonParser.parse(text);
        } catch (JsonException e) {
            throw new CorruptFormatException(file, e.offset(), "JSON", e.getMessage());
        }
        if (!(v instanceof JsonValue.Obj o)) {
            throw new CorruptFormatException(file, 0, "JSON", "expected an object, found a " + v.kind());
        }
        return o;
    }
}
