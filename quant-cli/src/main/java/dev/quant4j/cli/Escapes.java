package dev.quant4j.cli;

import java.io.ByteArrayOutputStream;

/**
 * llama.cpp's {@code string_process_escapes}, on bytes: {@code \n \r \t \' \" \\} and {@code \xHH}; any other
 * backslash pair is kept as it is.
 */
final class Escapes {
    private Escapes() {
    }

    static byte[] process(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            if (in[i] != '\\' || i + 1 >= in.length) {
                out.write(in[i]);
                continue;
            }
            byte c = in[++i];
            switch (c) {
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case '\'', '"', '\\' -> out.write(c);
                default -> {
                    if (c == 'x' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                        out.write(hex(in[i + 1]) * 16 + hex(in[i + 2]));
                        i += 2;
                    } else {
                        out.write('\\');
                        out.write(c);
                    }
                }
            }
        }
        return out.toByteArray();
    }

    private static int hex(byte b) {
        return Character.digit(b, 16);
    }
}
