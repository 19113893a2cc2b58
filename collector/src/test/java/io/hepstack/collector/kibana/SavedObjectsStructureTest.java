package io.hepstack.collector.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.hepstack.collector.kibana.SavedObjects.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * kibana/hepstack.ndjson is a Kibana 8.x export whose every piece holds together: it parses, ids
 * are unique and stable, references resolve both ways, panels point at existing objects of the
 * right type, Lens states are consistent, and every field any panel, search, control or data view
 * uses is mapped in index-templates/ with a type that supports what is done with it.
 */
class SavedObjectsStructureTest {

    private static SavedObjects objects;
    private static FieldCatalog catalog;

    /** The typeMigrationVersion each type is written for (none newer than Kibana 8.19 knows). */
    private static final Map<String, String> MIGRATION_VERSIONS = Map.of(
            "index-pattern", "8.0.0", "search", "8.0.0", "lens", "8.9.0", "map", "7.14.0", "dashboard", "10.2.0");
    /** Kibana's dashboard attributes schema (model versions 1-2) forbids any other attribute. */
    private static final Set<String> DASHBOARD_ATTRIBUTES = Set.of("title", "description", "kibanaSavedObjectMeta",
            "timeRestore", "timeFrom", "timeTo", "refreshInterval", "controlGroupInput", "panelsJSON", "optionsJSON",
            "hits", "version");
    private static final Set<String> DASHBOARDS = Set.of("hepstack-dashboard-calls-overview",
            "hepstack-dashboard-mos-time-machine", "hepstack-dashboard-network-top", "hepstack-dashboard-fraud-cost",
            "hepstack-dashboard-alerts-security", "hepstack-dashboard-sip-health");

    @BeforeAll
    static void load() throws Exception {
        objects = SavedObjects.load();
        catalog = FieldCatalog.load();
    }

    @Test
    void everyLineIsAnObjectAndTheLastIsKibanasExportSummary() throws Exception {
        List<String> lines = objects.lines();
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).isNotBlank());
        assertThat(Files.readString(SavedObjects.FILE, StandardCharsets.UTF_8)).endsWith("}\n");
        JsonNode summary = SavedObjects.MAPPER.readTree(lines.get(lines.size() - 1));
        assertThat(summary.path("exportedCount").asInt()).isEqualTo(objects.all().size()).isEqualTo(lines.size() - 1);
        assertThat(summary.path("missingRefCount").asInt()).isZero();
        assertThat(summary.path("excludedObjectsCount").asInt()).isZero();
        for (JsonNode o : objects.all()) {
            assertThat(o.path("id").asText()).as("stable hepstack id").startsWith("hepstack-");
            assertThat(o.path("attributes").isObject()).as(o.path("id").asText()).isTrue();
            assertThat(o.path("coreMigrationVersion").asText()).isEqualTo("8.8.0");
            assertThat(o.path("typeMigrationVersion").asText()).as(o.path("id").asText())
                    .isEqualTo(MIGRATION_VERSIONS.get(o.path("type").asText()));
            assertThat(o.path("managed").isBoolean() && !o.path("managed").asBoolean()).as("managed: false").isTrue();
        }
        assertThat(SavedObjectsFile.of(SavedObjects.FILE).objectCount()).isEqualTo(objects.all().size());
    }

    @Test
    void idsAreUniqueAndTheSixDashboardsAndADataViewPerIndexFamilyAreThere() {
        Set<String> ids = new HashSet<>();
        for (JsonNode o : objects.all()) {
            assertThat(ids.add(o.path("id").asText())).as("duplicate id " + o.path("id").asText()).isTrue();
        }
        assertThat(objects.ofType("dashboard")).extracting(d -> d.path("id").asText()).containsExactlyInAnyOrderElementsOf(DASHBOARDS);
        Map<String, String> titles = new LinkedHashMap<>();
        for (JsonNode dv : objects.ofType("index-pattern")) {
            titles.put(dv.path("attributes").path("title").asText(), dv.path("attributes").path("timeFieldName").asText());
        }
        // one per index family the collector writes (the protocols' families, TDRs, alerts); not the
        // audit trail: it is for admins (GET /api/v1/audit), not for every Kibana user of the dashboards
        Map<String, String> expected = new LinkedHashMap<>();
        for (String family : io.hepstack.collector.index.TemplateInstaller.FAMILIES) {
            if (!family.equals("audit")) {
                expected.put("hep-" + family + "-*", "@timestamp");
            }
        }
        assertThat(expected).containsKeys("hep-sip-*", "hep-rtcp-*", "hep-log-*", "hep-tdr-*", "hep-alert-*", "hep-dns-*");
        assertThat(titles).containsExactlyInAnyOrderEntriesOf(expected);
    }

    /**
     * A control's filter applies to every panel of its dashboard: a panel whose data view lacks the
     * control's field goes blank as soon as a value is chosen (issue 13: the alerts dashboard's
     * severity and rule blanked its SIP panels). So every panel's data views map every control field.
     */
    @Test
    void aDashboardsControlsOnlyFilterPanelsThatHaveTheirFields() {
        for (JsonNode d : objects.ofType("dashboard")) {
            List<String> controlFields = new ArrayList<>();
            json(d.path("attributes").path("controlGroupInput").path("panelsJSON"))
                    .forEach(c -> controlFields.add(c.path("explicitInput").path("fieldName").asText()));
            assertThat(controlFields).as(d.path("id").asText() + " controls").isNotEmpty();
            for (JsonNode r : d.path("references")) {
                if (r.path("name").asText().startsWith("controlGroup_")) {
                    continue;
                }
                JsonNode panel = objects.get(r.path("id").asText());
                panel.path("references").forEach(ref -> {
                    if (!ref.path("type").asText().equals("index-pattern")) {
                        return;
                    }
                    String family = FieldCatalog.familyOf(objects.get(ref.path("id").asText()).path("attributes").path("title").asText());
                    for (String field : controlFields) {
                        assertThat(catalog.field(family, field))
                                .as("%s: panel %s (hep-%s-*) has the control field %s", d.path("id").asText(),
                                        panel.path("id").asText(), family, field)
                                .isNotNull();
                    }
                });
            }
        }
    }

    @Test
    void everyReferenceResolvesAndIsUsedByTheObjectThatHoldsIt() {
        Map<String, String> typeOf = new LinkedHashMap<>();
        objects.all().forEach(o -> typeOf.put(o.path("id").asText(), o.path("type").asText()));
        for (JsonNode o : objects.all()) {
            Set<String> names = new HashSet<>();
            for (JsonNode r : o.path("references")) {
                String where = o.path("id").asText() + " -> " + r;
                assertThat(typeOf.get(r.path("id").asText())).as(where).isEqualTo(r.path("type").asText());
                assertThat(names.add(r.path("name").asText())).as("reference names are unique: " + where).isTrue();
            }
            assertThat(names).as("references of " + o.path("id").asText()).isEqualTo(namesUsedBy(o));
        }
    }

    /** The reference names an object's own attributes point at, by Kibana's naming rules per type. */
    private static Set<String> namesUsedBy(JsonNode o) {
        Set<String> used = new HashSet<>();
        JsonNode a = o.path("attributes");
        switch (o.path("type").asText()) {
            case "lens" -> a.path("state").path("datasourceStates").path("formBased").path("layers").fieldNames()
                    .forEachRemaining(l -> used.add("indexpattern-datasource-layer-" + l));
            case "search" -> used.add(json(a.path("kibanaSavedObjectMeta").path("searchSourceJSON")).path("indexRefName").asText());
            case "map" -> json(a.path("layerListJSON")).forEach(l -> {
                if (l.path("sourceDescriptor").has("indexPatternRefName")) {
                    used.add(l.path("sourceDescriptor").path("indexPatternRefName").asText());
                }
            });
            case "dashboard" -> {
                json(a.path("panelsJSON")).forEach(p -> used.add(p.path("panelIndex").asText() + ":" + p.path("panelRefName").asText()));
                json(a.path("controlGroupInput").path("panelsJSON")).fieldNames()
                        .forEachRemaining(c -> used.add("controlGroup_" + c + ":optionsListDataView"));
            }
            default -> {
            }
        }
        return used;
    }

    @Test
    void everyDashboardPanelPointsAtAnExistingObjectOfItsTypeOnTheGrid() {
        for (JsonNode d : objects.ofType("dashboard")) {
            String id = d.path("id").asText();
            JsonNode a = d.path("attributes");
            Set<String> keys = new HashSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            assertThat(DASHBOARD_ATTRIBUTES).as(id + " attributes").containsAll(keys);
            assertThat(a.path("timeRestore").asBoolean()).as(id + " restores its time range").isTrue();
            assertThat(a.path("timeFrom").asText()).startsWith("now-");
            assertThat(a.path("timeTo").asText()).isEqualTo("now");
            assertThat(a.path("refreshInterval").path("value").asInt()).isPositive();
            assertThat(a.path("title").asText()).startsWith("hepstack · ");
            JsonNode search = json(a.path("kibanaSavedObjectMeta").path("searchSourceJSON"));
            assertThat(search.path("query").path("language").asText()).isEqualTo("kuery");
            Kql.toQuery(search.path("query").path("query").asText());

            List<int[]> cells = new ArrayList<>();
            Set<String> panelIds = new HashSet<>();
            JsonNode panels = json(a.path("panelsJSON"));
            assertThat(panels.size()).as(id + " panels").isGreaterThanOrEqualTo(6);
            for (JsonNode p : panels) {
                String pid = p.path("panelIndex").asText();
                assertThat(panelIds.add(pid)).isTrue();
                assertThat(p.path("panelRefName").asText()).isEqualTo("panel_" + pid);
                assertThat(p.path("version").asText()).as(id + " " + pid + " panel state version").isEqualTo("8.15.0");
                assertThat(p.path("gridData").path("i").asText()).isEqualTo(pid);
                JsonNode target = objects.get(SavedObjects.reference(d, pid + ":panel_" + pid));
                assertThat(target.path("type").asText()).as(id + " " + pid).isEqualTo(p.path("type").asText());
                int x = p.path("gridData").path("x").asInt();
                int y = p.path("gridData").path("y").asInt();
                int w = p.path("gridData").path("w").asInt();
                int h = p.path("gridData").path("h").asInt();
                assertThat(x).isNotNegative();
                assertThat(w).isPositive();
                assertThat(h).isPositive();
                assertThat(x + w).as(id + " " + pid + " fits the 48-column grid").isLessThanOrEqualTo(48);
                for (int[] c : cells) {
                    boolean overlap = x < c[0] + c[2] && c[0] < x + w && y < c[1] + c[3] && c[1] < y + h;
                    assertThat(overlap).as(id + " " + pid + " overlaps another panel").isFalse();
                }
                cells.add(new int[]{x, y, w, h});
            }
            JsonNode controls = json(a.path("controlGroupInput").path("panelsJSON"));
            assertThat(controls.size()).as(id + " has filter controls").isGreaterThanOrEqualTo(2);
            for (Iterator<Map.Entry<String, JsonNode>> it = controls.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> c = it.next();
                assertThat(c.getValue().path("type").asText()).isEqualTo("optionsListControl");
                assertThat(c.getValue().path("explicitInput").path("id").asText()).isEqualTo(c.getKey());
                String dataView = SavedObjects.reference(d, "controlGroup_" + c.getKey() + ":optionsListDataView");
                FieldCatalog.Field f = field(dataView, c.getValue().path("explicitInput").path("fieldName").asText(), id);
                assertThat(f.aggregatable()).as(id + " control on " + f.name() + " needs an aggregatable field").isTrue();
            }
        }
    }

    @Test
    void lensStatesAreConsistentAndTheirFieldsSupportTheirOperations() {
        Set<String> types = Set.of("lnsMetric", "lnsXY", "lnsPie", "lnsDatatable");
        for (JsonNode lens : objects.ofType("lens")) {
            String id = lens.path("id").asText();
            JsonNode a = lens.path("attributes");
            assertThat(types).as(id).contains(a.path("visualizationType").asText());
            assertThat(a.path("title").asText()).as(id).isNotBlank();
            JsonNode state = a.path("state");
            assertThat(state.path("query").path("language").asText()).isEqualTo("kuery");
            String layerId = state.path("datasourceStates").path("formBased").path("layers").fieldNames().next();
            JsonNode layer = state.path("datasourceStates").path("formBased").path("layers").get(layerId);
            String dataView = SavedObjects.reference(lens, "indexpattern-datasource-layer-" + layerId);
            checkKql(dataView, state.path("query").path("query").asText(), id);

            JsonNode columns = layer.path("columns");
            Set<String> columnIds = new HashSet<>();
            columns.fieldNames().forEachRemaining(columnIds::add);
            List<String> order = new ArrayList<>();
            layer.path("columnOrder").forEach(c -> order.add(c.asText()));
            assertThat(order).as(id + " columnOrder").containsExactlyInAnyOrderElementsOf(columnIds);

            for (String cid : order) {
                JsonNode col = columns.get(cid);
                String op = col.path("operationType").asText();
                String where = id + " column " + cid + " (" + op + ")";
                if (col.has("filter")) {
                    checkKql(dataView, col.path("filter").path("query").asText(), where);
                }
                switch (op) {
                    case "count" -> assertThat(col.path("sourceField").asText()).isEqualTo("___records___");
                    case "sum", "average", "min", "max", "median", "percentile" ->
                            assertThat(field(dataView, col.path("sourceField").asText(), where).numeric()).as(where + " needs a number").isTrue();
                    case "unique_count" ->
                            assertThat(field(dataView, col.path("sourceField").asText(), where).aggregatable()).as(where).isTrue();
                    case "terms" -> {
                        FieldCatalog.Field f = field(dataView, col.path("sourceField").asText(), where);
                        assertThat(f.aggregatable() && !f.date()).as(where + " needs keyword/ip/number").isTrue();
                        assertThat(col.path("dataType").asText()).as(where + " dataType").isEqualTo(f.lensDataType());
                        JsonNode by = col.path("params").path("orderBy");
                        if ("column".equals(by.path("type").asText())) {
                            JsonNode orderCol = columns.get(by.path("columnId").asText());
                            assertThat(orderCol).as(where + " orders by an existing column").isNotNull();
                            assertThat(orderCol.path("isBucketed").asBoolean()).as(where + " orders by a metric").isFalse();
                        }
                    }
                    case "date_histogram" ->
                            assertThat(field(dataView, col.path("sourceField").asText(), where).date()).as(where + " needs a date").isTrue();
                    case "range" -> assertThat(field(dataView, col.path("sourceField").asText(), where).numeric()).as(where).isTrue();
                    case "filters" -> col.path("params").path("filters")
                            .forEach(f -> checkKql(dataView, f.path("input").path("query").asText(), where));
                    case "math" -> {
                        col.path("references").forEach(r -> assertThat(columnIds).as(where).contains(r.asText()));
                        assertThat(col.path("params").path("tinymathAst").path("args")).isNotEmpty();
                    }
                    case "formula" -> {
                        col.path("references").forEach(r -> assertThat(columnIds).as(where).contains(r.asText()));
                        String formula = col.path("params").path("formula").asText();
                        JsonNode part = columns.get(cid + "X0");
                        assertThat(formula).as(where + " formula text and its stored parts agree")
                                .isEqualTo("count(kql='" + part.path("filter").path("query").asText() + "') / count()");
                    }
                    default -> throw new AssertionError(where + ": operation not covered by the tests");
                }
                if (!col.path("isBucketed").asBoolean() && !"math".equals(op)) {
                    assertThat(col.path("dataType").asText()).as(where).isEqualTo("number");
                }
            }
            for (String accessor : accessors(a.path("visualizationType").asText(), state.path("visualization"), layerId)) {
                assertThat(columnIds).as(id + " visualization names column " + accessor).contains(accessor);
            }
        }
    }

    /** Column ids the visualization state refers to, per visualization type; also checks its layer id. */
    private static List<String> accessors(String type, JsonNode vis, String layerId) {
        List<String> out = new ArrayList<>();
        switch (type) {
            case "lnsMetric" -> {
                assertThat(vis.path("layerId").asText()).isEqualTo(layerId);
                out.add(vis.path("metricAccessor").asText());
            }
            case "lnsDatatable" -> {
                assertThat(vis.path("layerId").asText()).isEqualTo(layerId);
                vis.path("columns").forEach(c -> out.add(c.path("columnId").asText()));
            }
            case "lnsXY" -> vis.path("layers").forEach(l -> {
                assertThat(l.path("layerId").asText()).isEqualTo(layerId);
                out.add(l.path("xAccessor").asText());
                l.path("accessors").forEach(c -> out.add(c.asText()));
                if (l.has("splitAccessor")) {
                    out.add(l.path("splitAccessor").asText());
                }
            });
            case "lnsPie" -> vis.path("layers").forEach(l -> {
                assertThat(l.path("layerId").asText()).isEqualTo(layerId);
                l.path("primaryGroups").forEach(c -> out.add(c.asText()));
                l.path("metrics").forEach(c -> out.add(c.asText()));
            });
            default -> throw new AssertionError(type);
        }
        assertThat(out).isNotEmpty().doesNotContain("");
        return out;
    }

    @Test
    void savedSearchesShowMappedFieldsAndSortOnSortableOnes() {
        for (JsonNode s : objects.ofType("search")) {
            String id = s.path("id").asText();
            JsonNode source = json(s.path("attributes").path("kibanaSavedObjectMeta").path("searchSourceJSON"));
            String dataView = SavedObjects.reference(s, source.path("indexRefName").asText());
            checkKql(dataView, source.path("query").path("query").asText(), id);
            assertThat(s.path("attributes").path("columns")).as(id).isNotEmpty();
            s.path("attributes").path("columns").forEach(c -> field(dataView, c.asText(), id + " column"));
            for (JsonNode sort : s.path("attributes").path("sort")) {
                FieldCatalog.Field f = field(dataView, sort.get(0).asText(), id + " sort");
                assertThat(f.docValues() && !"text".equals(f.type())).as(id + " sorts on " + f.name()).isTrue();
                assertThat(Set.of("asc", "desc")).contains(sort.get(1).asText());
            }
        }
    }

    @Test
    void theMapLayerAggregatesAGeoPoint() {
        for (JsonNode m : objects.ofType("map")) {
            for (JsonNode layer : json(m.path("attributes").path("layerListJSON"))) {
                JsonNode source = layer.path("sourceDescriptor");
                if (!source.has("indexPatternRefName")) {
                    continue;
                }
                String dataView = SavedObjects.reference(m, source.path("indexPatternRefName").asText());
                String where = m.path("id").asText() + " layer " + layer.path("id").asText();
                assertThat(field(dataView, source.path("geoField").asText(), where).type()).as(where).isEqualTo("geo_point");
                checkKql(dataView, layer.path("query").path("query").asText(), where);
                source.path("metrics").forEach(metric -> assertThat(metric.path("type").asText()).isEqualTo("count"));
            }
            json(m.path("attributes").path("mapStateJSON")).path("query").path("query").asText();
        }
    }

    @Test
    void dataViewFieldFormatsAreOnMappedNumbers() {
        int formats = 0;
        for (JsonNode dv : objects.ofType("index-pattern")) {
            JsonNode a = dv.path("attributes");
            for (String attr : new String[]{"fieldFormatMap", "fieldAttrs", "runtimeFieldMap", "fields", "sourceFilters", "typeMeta"}) {
                json(a.path(attr)); // stored as JSON strings, as Kibana stores them
            }
            JsonNode fmt = json(a.path("fieldFormatMap"));
            for (Iterator<Map.Entry<String, JsonNode>> it = fmt.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                FieldCatalog.Field f = field(dv.path("id").asText(), e.getKey(), "format");
                assertThat(Set.of("number", "duration")).contains(e.getValue().path("id").asText());
                assertThat(f.numeric()).as(e.getKey() + " formatted as a number").isTrue();
                formats++;
            }
        }
        assertThat(formats).isGreaterThan(10);
        JsonNode tdr = json(objects.get("hepstack-dv-tdr").path("attributes").path("fieldFormatMap"));
        assertThat(tdr.path("tdr.duration_s").path("params").path("inputFormat").asText()).isEqualTo("seconds");
        assertThat(tdr.path("tdr.setup_ms").path("params").path("inputFormat").asText()).isEqualTo("milliseconds");
        assertThat(tdr.path("rating.cost").path("params").path("pattern").asText()).isEqualTo("0,0.0000");
        assertThat(tdr.path("qos.mos").path("params").path("pattern").asText()).isEqualTo("0.00");
    }

    @Test
    void theKqlTranslatorRejectsWhatItDoesNotUnderstand() {
        assertThat(Kql.toQuery("tdr.status : (\"A\" or \"B\") and not sip.code : 401").toString())
                .isEqualTo("{\"bool\":{\"filter\":[{\"bool\":{\"should\":[{\"bool\":{\"should\":[{\"match_phrase\":{\"tdr.status\":\"A\"}}],"
                        + "\"minimum_should_match\":1}},{\"bool\":{\"should\":[{\"match_phrase\":{\"tdr.status\":\"B\"}}],"
                        + "\"minimum_should_match\":1}}],\"minimum_should_match\":1}},{\"bool\":{\"must_not\":{\"bool\":{\"should\":"
                        + "[{\"match\":{\"sip.code\":\"401\"}}],\"minimum_should_match\":1}}}}]}}");
        assertThat(Kql.toQuery("qos.mos : *").toString()).isEqualTo("{\"exists\":{\"field\":\"qos.mos\"}}");
        assertThat(Kql.toQuery("a : *sip-scan*").toString()).contains("\"query\":\"*sip\\\\-scan*\"");
        for (String bad : new String[]{"a :", "a : (b or", "and", "a : b c", "a == b"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Kql.toQuery(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theGeneratorAndTheReadmeNameEveryDashboard() throws Exception {
        String generator = Files.readString(Path.of("../kibana/generate_saved_objects.py"));
        String readme = Files.readString(Path.of("../kibana/README.md"));
        for (String d : DASHBOARDS) {
            assertThat(generator).contains("\"" + d + "\"");
            assertThat(readme).contains("`" + d + "`");
        }
    }

    private static void checkKql(String dataViewId, String kql, String where) {
        for (Kql.FieldUse use : Kql.fields(kql)) {
            FieldCatalog.Field f = field(dataViewId, use.field(), where + " query");
            switch (use.kind()) {
                case RANGE -> assertThat(f.numeric() || f.date()).as(where + ": range on " + f.name()).isTrue();
                case WILDCARD -> assertThat(f.type()).as(where + ": wildcard on " + f.name()).isEqualTo("keyword");
                case MATCH, PHRASE -> assertThat(f.indexed()).as(where + ": " + f.name() + " is searchable").isTrue();
                case EXISTS -> {
                }
            }
        }
    }

    private static FieldCatalog.Field field(String dataViewId, String name, String where) {
        String family = FieldCatalog.familyOf(objects.indexPattern(dataViewId));
        FieldCatalog.Field f = catalog.field(family, name);
        assertThat(f).as(where + ": field " + name + " is mapped in index-templates/ for hep-" + family + "-*").isNotNull();
        return f;
    }
}
