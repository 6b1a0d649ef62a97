package dev.quant4j.tck;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One reference case of {@code shared/vectors/TYPE/}: input floats, optional importance row, and the bytes
 * and dequantized floats llama.cpp produced.
 *
 * @param type       folder name, e.g. {@code Q4_K}
 * @param name       case name as cases.json gives it ({@code -imat} marks the importance-weighted variant)
 * @param rows       rows of the input
 * @param rowLength  floats per row
 * @param folder     the type's folder
 * @param input      input file name
 * @param imatrix    importance file name, or null for the plain variant
 * @param expected   expected bytes file name
 * @param dequant    expected dequantized floats file name
 */
public record GgmlVectorCase(String type, String name, int rows, int rowLength, Path folder, String input,
                             String imatrix, String expected, String dequant) {

    /** Every case of {@code shared/vectors/<type>/cases.json}: plain and importance variants. */
    @SuppressWarnings("unchecked")
    public static List<GgmlVectorCase> load(Path folder) throws IOException {
        Map<String, Object> root = (Map<String, Object>) MiniJson.parse(Files.readString(folder.resolve("cases.json")));
        String type = folder.getFileName().toString().replace("/", "");
        List<GgmlVectorCase> out = new ArrayList<>();
        for (Object o : (List<Object>) root.get("cases")) {
            Map<String, Object> c = (Map<String, Object>) o;
            String name = (String) c.get("name");
            boolean imat = Boolean.TRUE.equals(c.get("imatrix_used"));
            out.add(new GgmlVectorCase(type, name,
                    ((Double) c.get("rows")).intValue(), ((Double) c.get("row_length")).intValue(), folder,
                    (String) c.get("input"), imat ? (String) c.get("imatrix") : null,
                    (String) c.get("expected"), (String) c.get("dequant")));
        }
        return out;
    }

    public float[] inputFloats() throws IOException {
        return floats(folder.resolve(input));
    }

    /** The importance row, or null for the plain variant. */
    public float[] importance() throws IOException {
        return imatrix == null ? null : floats(folder.resolve(imatrix));
    }

    public byte[] expectedBytes() throws IOException {
        return Files.readAllBytes(folder.resolve(expected));
    }

    public float[] expectedDequant() throws IOException {
        return floats(folder.resolve(dequant));
    }

    static float[] floats(Path p) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[b.remaining() / 4];
        b.asFloatBuffer().get(f);
        return f;
    }

    @Override
    public String toString() {
        return type + "/" + name;
    }
}
