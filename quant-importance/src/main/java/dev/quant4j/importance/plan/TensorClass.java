package dev.quant4j.importance.plan;

import java.util.Locale;

/** The tensor classes a profile weighs: by name, first match wins. */
enum TensorClass {
    OUTPUT, EMBEDDING, ATTENTION, FFN, OTHER;

    static TensorClass of(String name) {
        if (name.equals("output.weight")) {
            return OUTPUT;
        } else if (name.equals("token_embd.weight") || name.equals("per_layer_token_embd.weight")) {
            return EMBEDDING;
        } else if (name.contains("attn_")) {
            return ATTENTION;
        } else if (name.contains("ffn_")) {
            return FFN;
        }
        return OTHER;
    }

    String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    static TensorClass parse(String key) {
        for (TensorClass c : values()) {
            if (c.key().equals(key)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown tensor class '" + key + "'; classes: output, embedding, "
                + "attention, ffn, other");
    }
}
