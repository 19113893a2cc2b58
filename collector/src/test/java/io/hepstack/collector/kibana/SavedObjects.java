package io.hepstack.collector.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The saved objects of {@code kibana/hepstack.ndjson}, read the way the tests need them. */
final class SavedObjects {

    static final Path FILE = Path.of("../kibana/hepstack.ndjson");
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<String> lines;
    private final List<JsonNode> objects = new ArrayList<>();
    private final Map<String, JsonNode> byId = new LinkedHashMap<>();
    private JsonNode exportDetails;

    private SavedObjects(List<String> lines) throws IOException {
        this.lines = lines;
        for (String line : lines) {
            JsonNode o = MAPPER.readTree(line);
            if (o.has("exportedCount")) {
                exportDetails = o;
                continue;
            }
            objects.add(o);
            byId.putIfAbsent(o.path("id").asText(), o);
        }
    }

    static SavedObjects load() throws IOException {
        return new SavedObjects(Files.readAllLines(FILE, StandardCharsets.UTF_8));
    }

    List<String> lines() {
        return lines;
    }

    List<JsonNode> all() {
        return objects;
    }

    JsonNode exportDetails() {
        return exportDetails;
    }

    List<JsonNode> ofType(String type) {
        return objects.stream().filter(o -> type.equals(o.path("type").asText())).toList();
    }

    JsonNode get(String id) {
        JsonNode o = byId.get(id);
        if (o == null) {
            throw new IllegalArgumentException("no saved object " + id + " in " + FILE);
        }
        return o;
    }

    /** The id of the object a named reference points at. */
    static String reference(JsonNode object, String name) {
        for (JsonNode r : object.path("references")) {
            if (name.equals(r.path("name").asText())) {
                return r.path("id").asText();
            }
        }
        throw new IllegalArgumentException(object.path("id").asText() + " has no reference named " + name);
    }

    /** The title (index pattern) of a data view. */
    String indexPattern(String dataViewId) {
        return get(dataViewId).path("attributes").path("title").asText();
    }

    /** A string attribute holding JSON (panelsJSON, searchSourceJSON, ...), parsed. */
    static JsonNode json(JsonNode node) {
        try {
            return MAPPER.readTree(node.asText());
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + node.asText(), e);
        }
    }

    /** The dashboards' panels, each as (dashboard id, panel JSON, referenced object). */
    record Panel(String dashboard, JsonNode panel, JsonNode object) {
    }

    List<Panel> dashboardPanels() {
        List<Panel> out = new ArrayList<>();
        for (JsonNode d : ofType("dashboard")) {
            for (JsonNode p : json(d.path("attributes").path("panelsJSON"))) {
                String ref = p.path("panelIndex").asText() + ":" + p.path("panelRefName").asText();
                out.add(new Panel(d.path("id").asText(), p, get(reference(d, ref))));
            }
        }
        return out;
    }
}
