package dev.quant4j.safetensors.hf;

import dev.quant4j.api.error.CorruptFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The vocabulary of a SentencePiece {@code tokenizer.model}: a protobuf {@code ModelProto} whose field 1 repeats
 * {@code SentencePiece {string piece = 1; float score = 2; Type type = 3 [default NORMAL]}}. Only those fields are
 * read; everything else (trainer and normalizer specs) is skipped by wire type.
 *
 * @param pieces the pieces, by id
 */
public record SpmModel(List<Piece> pieces) {
    /** A piece; {@code type} uses sentencepiece's numbers, which GGUF's token types share (1 normal … 6 byte). */
    public record Piece(String text, float score, int type) {
    }

    public static SpmModel read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > (256L << 20)) {
            throw new CorruptFormatException(file, 0, "tokenizer.model", size + " bytes is not a plausible vocabulary");
        }
        return parse(file, Files.readAllBytes(file));
    }

    /** Parses the bytes of {@code file} (named in errors). */
    static SpmModel parse(Path file, byte[] bytes) throws CorruptFormatException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<Piece> pieces = new ArrayList<>();
        while (b.hasRemaining()) {
            int at = b.position();
            long key = varint(file, b);
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (field == 1 && wire == 2) {
                pieces.add(piece(file, slice(file, b, at)));
            } else {
                skip(file, b, wire, at);
            }
        }
        if (pieces.isEmpty()) {
            throw new CorruptFormatException(file, 0, "pieces", "no SentencePiece pieces: not a tokenizer.model");
        }
        return new SpmModel(pieces);
    }

    private static Piece piece(Path file, ByteBuffer b) throws CorruptFormatException {
        String text = null;
        float score = 0f;
        int type = 1;
        while (b.hasRemaining()) {
            int at = b.position();
            long key = varint(file, b);
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (field == 1 && wire == 2) {
                ByteBuffer s = slice(file, b, at);
                try {
                    text = StandardCharsets.UTF_8.newDecoder().decode(s).toString();
                } catch (CharacterCodingException e) {
                    throw new CorruptFormatException(file, at, "piece", "not valid UTF-8");
                }
            } else if (field == 2 && wire == 5) {
                need(file, b, 4, at);
                score = b.getFloat();
            } else if (field == 3 && wire == 0) {
                type = (int) varint(file, b);
            } else {
                skip(file, b, wire, at);
            }
        }
        if (text == null) {
            throw new CorruptFormatException(file, b.position(), "piece", "a SentencePiece without its text");
        }
        return new Piece(text, score, type);
    }

    private static ByteBuffer slice(Path file, ByteBuffer b, int at) throws CorruptFormatException {
        long len = varint(file, b);
        if (len < 0 || len > b.remaining()) { // a 10-byte varint can set the sign bit: unsigned, it is past the end too
            throw new CorruptFormatException(file, at, "protobuf", "length " + Long.toUnsignedString(len)
                    + " runs past the end of the file");
        }
        ByteBuffer s = b.slice(b.position(), (int) len).order(ByteOrder.LITTLE_ENDIAN);
        b.position(b.position() + (int) len);
        return s;
    }

    private static void skip(Path file, ByteBuffer b, int wire, int at) throws CorruptFormatException {
        switch (wire) {
            case 0 -> varint(file, b);
            case 1 -> {
                need(file, b, 8, at);
                b.position(b.position() + 8);
            }
            case 2 -> slice(file, b, at);
            case 5 -> {
                need(file, b, 4, at);
                b.position(b.position() + 4);
            }
            default -> throw new CorruptFormatException(file, at, "protobuf", "unsupported wire type " + wire);
        }
    }

    private static void need(Path file, ByteBuffer b, int n, int at) throws CorruptFormatException {
        if (b.remaining() < n) {
            throw new CorruptFormatException(file, at, "protobuf", "field runs past the end of the file");
        }
    }

    private static long varint(Path file, ByteBuffer b) throws CorruptFormatException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (!b.hasRemaining()) {
                throw new CorruptFormatException(file, b.position(), "protobuf", "varint runs past the end of the file");
            }
            int x = b.get() & 0xFF;
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw new CorruptFormatException(file, b.position(), "protobuf", "varint longer than 10 bytes");
    }
}
