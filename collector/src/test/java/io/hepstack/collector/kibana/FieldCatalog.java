package io.hepstack.collector.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The fields of each index family as {@code index-templates/} maps them (the contract the
 * dashboards are written against): index template → its component templates → flattened
 * {@code properties}, with each field's type and whether it has doc values.
 */
final class FieldCatalog {

    static final Path TEMPLATES = Path.of("../index-templates");
    static final Set<String> NUMERIC = Set.of("long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float");
    static final Set<String> DATES = Set.of("date", "date_nanos");

    /** One mapped field. */
    record Field(String name, String type, boolean docValues, boolean indexed) {
        boolean numeric() {
            return NUMERIC.contains(type);
        }

        boolean date() {
            return DATES.contains(type);
        }

        /** What terms, cardinality and options-list controls can bucket on. */
        boolean aggregatable() {
            return docValues && (numeric() || date() || Set.of("keyword", "ip", "boolean").contains(type));
        }

        /** Lens's data type for the field (what a column on it declares as {@code dataType}). */
        String lensDataType() {
            if (numeric()) {
                return "number";
            }
            if (date()) {
                return "date";
            }
            return switch (type) {
                case "ip" -> "ip";
                case "boolean" -> "boolean";
                case "geo_point" -> "geo_point";
                default -> "string";
            };
        }
    }

    private final Map<String, Map<String, Field>> families = new LinkedHashMap<>();

    static FieldCatalog load() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        FieldCatalog catalog = new FieldCatalog();
        for (String family : new String[]{"sip", "rtcp", "log", "tdr", "alert"}) {
            JsonNode index = mapper.readTree(TEMPLATES.resolve("index/hep-" + family + ".json").toFile());
            Map<String, Field> fields = new LinkedHashMap<>();
            for (JsonNode component : index.path("composed_of")) {
                JsonNode c = mapper.readTree(TEMPLATES.resolve("component/" + component.asText() + ".json").toFile());
                flatten(c.path("template").path("mappings").path("properties"), "", fields);
            }
            catalog.families.put(family, fields);
        }
        return catalog;
    }

    private static void flatten(JsonNode properties, String prefix, Map<String, Field> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = prefix + e.getKey();
            JsonNode def = e.getValue();
            if (def.has("properties") && !def.has("type")) {
                flatten(def.get("properties"), name + ".", out);
            } else {
                out.put(name, new Field(name, def.path("type").asText("object"),
                        def.path("doc_values").asBoolean(true), def.path("index").asBoolean(true)));
            }
        }
    }

    /** The family ("sip", "tdr", ...) of a data view title such as {@code hep-tdr-*}. */
    static String familyOf(String dataViewTitle) {
        if (!dataViewTitle.startsWith("hep-") || !dataViewTitle.endsWith("-*")) {
            throw new IllegalArgumentException("not a hepstack data view title: " + dataViewTitle);
        }
        return dataViewTitle.substring(4, dataViewTitle.length() - 2);
    }

    Map<String, Field> fields(String family) {
        Map<String, Field> f = families.get(family);
        if (f == null) {
            throw new IllegalArgumentException("no index family " + family);
        }
        return f;
    }

    Field field(String family, String name) {
        return fields(family).get(name);
    }
}
