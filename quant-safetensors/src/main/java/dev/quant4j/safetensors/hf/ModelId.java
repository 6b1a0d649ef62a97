package dev.quant4j.safetensors.hf;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * gguf-py's reading of a model id (a directory name or {@code org/name}) into name parts (Metadata
 * .get_model_id_components): each '-'-separated part is classed as version, type, size label, finetune or
 * basename by the same patterns and rules, so general.basename / finetune / version come out as convert writes them.
 *
 * @param name      the full name component (after any '/')
 * @param basename  null when absent
 * @param finetune  null when absent
 * @param version   null when absent
 * @param sizeLabel null when absent
 */
record ModelId(String name, String basename, String finetune, String version, String sizeLabel) {
    private static final Pattern VERSION = Pattern.compile("(v|iter)?\\d+([.]\\d+)*", Pattern.CASE_INSENSITIVE);
    private static final Pattern TYPE = Pattern.compile("i?q\\d(_\\w)*|b?fp?(16|32)", Pattern.CASE_INSENSITIVE);
    private static final Pattern SIZE = Pattern.compile("(([A]|\\d+[x])?\\d+([._]\\d+)?[KMBT][\\d]?|small|mini|medium|large|x?xl)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern FINETUNE = Pattern.compile("chat|instruct|vision|lora", Pattern.CASE_INSENSITIVE);

    static ModelId parse(String id, long totalParams) {
        if (id.contains(" ")) {
            return new ModelId(id, null, null, null, null);
        }
        String full = id.contains("/") ? id.substring(id.indexOf('/') + 1) : id;
        List<String> parts = new ArrayList<>();
        for (String p : full.split("-", -1)) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        List<Set<String>> types = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Set<String> t = new LinkedHashSet<>();
            types.add(t);
            String part = parts.get(i);
            if (VERSION.matcher(part).matches()) {
                t.add("version");
            } else if (TYPE.matcher(part).matches()) {
                t.add("type");
                parts.set(i, part.toUpperCase(java.util.Locale.ROOT));
            } else if (i > 0 && SIZE.matcher(part).matches()) {
                part = part.replace('_', '.');
                if (Character.isDigit(part.charAt(part.length() - 1))) {
                    part = part.substring(0, part.length() - 2) + "." + part.charAt(part.length() - 1)
                            + part.charAt(part.length() - 2);
                }
                if (part.length() > 1 && Character.isDigit(part.charAt(part.length() - 2))
                        && "kmbt".indexOf(part.charAt(part.length() - 1)) >= 0) {
                    part = part.substring(0, part.length() - 1) + Character.toUpperCase(part.charAt(part.length() - 1));
                }
                if (totalParams != 0) {
                    try {
                        double label = Double.parseDouble(part.substring(0, part.length() - 1))
                                * Math.pow(1000, " KMBT".indexOf(part.charAt(part.length() - 1)));
                        if ((totalParams < 0 && label < Math.floorDiv(Math.abs(totalParams), 8))
                                || (totalParams > 0 && Math.abs(label - totalParams) > 7 * totalParams / 8)) {
                            t.add("finetune");
                            part = part.substring(0, part.length() - 1) + Character.toLowerCase(part.charAt(part.length() - 1));
                        }
                    } catch (NumberFormatException e) {
                        // not a number: a word size label such as "small"
                    }
                }
                if (t.isEmpty()) {
                    t.add("size_label");
                }
                parts.set(i, part);
            } else if (i > 0 && FINETUNE.matcher(part).matches()) {
                t.add(totalParams < 0 && part.equalsIgnoreCase("lora") ? "type" : "finetune");
            }
        }
        boolean digitSize = false;
        for (int i = 0; i < parts.size(); i++) {
            digitSize |= types.get(i).contains("size_label") && parts.get(i).chars().anyMatch(Character::isDigit);
        }
        if (digitSize) {
            for (int i = 0; i < parts.size(); i++) {
                if (types.get(i).contains("size_label") && parts.get(i).chars().allMatch(Character::isLetter)) {
                    types.get(i).remove("size_label");
                }
            }
        }
        boolean atStart = true;
        for (int i = 0; i < parts.size(); i++) {
            Set<String> t = types.get(i);
            if (atStart && ((t.isEmpty() && Character.isLetter(parts.get(i).charAt(0))) || t.contains("version"))) {
                t.add("basename");
            } else {
                atStart = false;
                if (t.isEmpty()) {
                    t.add("finetune");
                }
            }
        }
        for (int i = parts.size() - 1; i >= 0; i--) {
            Set<String> t = types.get(i);
            if (t.contains("basename") && t.size() > 1) {
                t.remove("basename");
            } else {
                break;
            }
        }
        String basename = join(parts, types, "basename", null);
        String size = join(new ArrayList<>(new LinkedHashSet<>(select(parts, types, "size_label"))), null, null, null);
        String finetune = join(parts, types, "finetune", null);
        String version = join(parts, types, "version", "basename");
        if (size == null && finetune == null && version == null) {
            basename = null;
        }
        return new ModelId(full, basename, finetune, version, size);
    }

    private static List<String> select(List<String> parts, List<Set<String>> types, String type) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            if (types.get(i).contains(type)) {
                out.add(parts.get(i));
            }
        }
        return out;
    }

    /** Parts of {@code type} (and not {@code unless}) joined with '-'; null when none; types null: all parts. */
    private static String join(List<String> parts, List<Set<String>> types, String type, String unless) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            if (types == null || (types.get(i).contains(type) && (unless == null || !types.get(i).contains(unless)))) {
                out.add(parts.get(i));
            }
        }
        return out.isEmpty() ? null : String.join("-", out);
    }

    /** gguf-py's id_to_title: '-' to spaces; all-lower-case words title-cased unless a version or starting with a digit. */
    static String title(String id) {
        StringBuilder b = new StringBuilder();
        for (String w : id.strip().replace('-', ' ').split("\\s+")) {
            if (w.isEmpty()) {
                continue;
            }
            b.append(b.isEmpty() ? "" : " ").append(isLower(w) && !w.matches("^(v\\d+(?:\\.\\d+)*|\\d.*)$") ? titleCase(w) : w);
        }
        return b.toString();
    }

    private static boolean isLower(String w) {
        boolean cased = false;
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            if (Character.isUpperCase(c) || Character.isTitleCase(c)) {
                return false;
            }
            cased |= Character.isLowerCase(c);
        }
        return cased;
    }

    private static String titleCase(String w) {
        StringBuilder b = new StringBuilder();
        boolean prevLetter = false;
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            b.append(prevLetter ? Character.toLowerCase(c) : Character.toUpperCase(c));
            prevLetter = Character.isLetter(c);
        }
        return b.toString();
    }
}
