package io.hepstack.tools.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The field types of the hepstack index templates, read from index-templates/ as Elasticsearch
 * composes them: for each index template, its index patterns and the flattened mapping of the
 * components it is composed of ({@code tdr.caller.number.region_code -> keyword}).
 */
final class TemplateMappings {

    static final Path DIR = Path.of("../index-templates");

    /** One composable index template. */
    record IndexTemplate(String name, List<String> patterns, Map<String, String> fields) {
        /** True when every index an expression like {@code hep-tdr-*} can name falls under this template. */
        boolean covers(String expression) {
            for (String p : patterns) {
                String prefix = p.endsWith("*") ? p.substring(0, p.length() - 1) : p;
                if (p.endsWith("*") ? expression.startsWith(prefix) : expression.equals(p)) {
                    return true;
                }
            }
            return false;
        }

        /** True when {@code path} is a mapped field or an object that holds mapped fields. */
        boolean hasPath(String path) {
            if (fields.containsKey(path)) {
                return true;
            }
            for (String f : fields.keySet()) {
                if (f.startsWith(path + ".")) {
                    return true;
                }
            }
            return false;
        }
    }

    private TemplateMappings() {
    }

    static List<IndexTemplate> load() throws IOException {
        ObjectMapper m = new ObjectMapper();
        List<IndexTemplate> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR.resolve("index"))) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path f : files) {
            JsonNode t = m.readTree(f.toFile());
            List<String> patterns = new ArrayList<>();
            t.path("index_patterns").forEach(p -> patterns.add(p.asText()));
            Map<String, String> fields = new LinkedHashMap<>();
            for (JsonNode c : t.path("composed_of")) {
                JsonNode comp = m.readTree(DIR.resolve("component/" + c.asText() + ".json").toFile());
                flatten("", comp.path("template").path("mappings").path("properties"), fields);
            }
            String name = f.getFileName().toString().replace(".json", "");
            out.add(new IndexTemplate(name, List.copyOf(patterns), fields));
        }
        return out;
    }

    private static void flatten(String prefix, JsonNode properties, Map<String, String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = prefix + e.getKey();
            JsonNode def = e.getValue();
            if (def.has("properties")) {
                flatten(path + ".", def.path("properties"), out);
            } else {
                out.put(path, def.path("type").asText("object"));
            }
        }
    }
}
