package io.hepstack.collector.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The explicit mapping of an index family, read from index-templates/ (the components its index
 * template composes): dotted field path → type. Lets tests check that every field a writer emits
 * is mapped, with a type that accepts the value.
 */
public final class TemplateFields {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Map<String, String> types = new HashMap<>();

    private TemplateFields() {
    }

    public static TemplateFields of(String family) {
        try {
            Path dir = Path.of("../index-templates");
            JsonNode index = MAPPER.readTree(dir.resolve("index/hep-" + family + ".json").toFile());
            TemplateFields t = new TemplateFields();
            for (JsonNode c : index.path("composed_of")) {
                JsonNode comp = MAPPER.readTree(dir.resolve("component/" + c.asText() + ".json").toFile());
                t.collect("", comp.path("template").path("mappings").path("properties"));
            }
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void collect(String prefix, JsonNode properties) {
        Iterator<Map.Entry<String, JsonNode>> it = properties.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = prefix + e.getKey();
            JsonNode def = e.getValue();
            if (def.has("properties")) {
                types.put(path, "object");
                collect(path + ".", def.path("properties"));
            } else {
                types.put(path, def.path("type").asText("object"));
            }
        }
    }

    /** The mapped type of a dotted path, or null when unmapped. */
    public String type(String path) {
        return types.get(path);
    }

    /** Leaf paths of a document that the mapping does not cover (objects under flattened/disabled fields are fine). */
    public java.util.List<String> unmapped(JsonNode doc) {
        java.util.List<String> out = new java.util.ArrayList<>();
        walk("", doc, out);
        return out;
    }

    private void walk(String path, JsonNode node, java.util.List<String> out) {
        if (!path.isEmpty()) {
            String t = types.get(path);
            if ("flattened".equals(t) || ("keyword".equals(t) && !node.isObject())) {
                return;
            }
            if (t != null && !"object".equals(t) && !node.isObject() && !node.isArray()) {
                return;
            }
            if ("geo_point".equals(t)) {
                return;
            }
        }
        if (node.isObject()) {
            if (!path.isEmpty() && types.get(path) == null) {
                out.add(path);
                return;
            }
            node.fields().forEachRemaining(e -> walk(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out));
        } else if (node.isArray()) {
            for (JsonNode n : node) {
                walk(path, n, out);
            }
        } else if (types.get(path) == null) {
            out.add(path);
        }
    }
}
