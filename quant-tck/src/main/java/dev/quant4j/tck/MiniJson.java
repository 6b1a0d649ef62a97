package dev.quant4j.tck;

import dev.quant4j.api.json.Json;

/**
 * JSON for the reference vector manifests: objects become ordered maps, arrays lists, numbers doubles. Kept for
 * the kit's callers; the parsing is quant-api's strict {@link Json} reader, which plugins can use too.
 */
public final class MiniJson {
    private MiniJson() {
    }

    public static Object parse(String text) {
        return Json.parse(text);
    }
}
