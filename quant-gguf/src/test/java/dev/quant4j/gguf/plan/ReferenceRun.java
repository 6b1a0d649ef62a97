package dev.quant4j.gguf.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One result file of shared/reference/mixtures: the llama-quantize command line, its outcome and the per-tensor
 * types it chose.
 *
 * @param args        the command's arguments after the program name, shell-unquoted
 * @param error       llama-quantize's error message, or null when it succeeded
 * @param fallbacks   tensors that needed the shape fallback
 * @param imatrixWarn the dry run warned that a real run would need an imatrix
 * @param types       tensor name to chosen type (ggml spelling), in output order
 */
record ReferenceRun(List<String> args, String error, int fallbacks, boolean imatrixWarn, Map<String, String> types) {
    private static final Pattern STATUS = Pattern.compile(
            "# llama\\.cpp \\S+; result: (ok|error: (.*))?(?:; tensors: (\\d+); fallbacks: (\\d+); "
                    + "imatrix-warning: (yes|no))?");

    static ReferenceRun load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (!lines.get(0).startsWith("# ")) {
            throw new IOException(file + ": no command line");
        }
        List<String> args = shellSplit(lines.get(0).substring(2));
        Matcher m = STATUS.matcher(lines.get(1));
        if (!m.matches()) {
            throw new IOException(file + ": unreadable status line " + lines.get(1));
        }
        if (m.group(2) != null) {
            return new ReferenceRun(args.subList(1, args.size()), m.group(2), 0, false, Map.of());
        }
        Map<String, String> types = new LinkedHashMap<>();
        for (String line : lines.subList(2, lines.size())) {
            String[] p = line.split("\t");
            types.put(p[0], p[1]);
        }
        if (types.size() != Integer.parseInt(m.group(3))) {
            throw new IOException(file + ": " + types.size() + " tensor lines, header says " + m.group(3));
        }
        return new ReferenceRun(args.subList(1, args.size()), null, Integer.parseInt(m.group(4)),
                m.group(5).equals("yes"), types);
    }

    /** POSIX shell word splitting for the quoting the files use (single quotes, plain words). */
    static List<String> shellSplit(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ') {
                if (cur != null) {
                    out.add(cur.toString());
                    cur = null;
                }
            } else if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                cur = cur == null ? new StringBuilder() : cur;
                cur.append(s, i + 1, end);
                i = end;
            } else if (c == '\\' && i + 1 < s.length()) {
                cur = cur == null ? new StringBuilder() : cur;
                cur.append(s.charAt(++i));
            } else {
                cur = cur == null ? new StringBuilder() : cur;
                cur.append(c);
            }
        }
        if (cur != null) {
            out.add(cur.toString());
        }
        return out;
    }
}
