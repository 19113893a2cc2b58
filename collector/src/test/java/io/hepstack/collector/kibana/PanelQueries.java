package io.hepstack.collector.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static io.hepstack.collector.kibana.SavedObjects.MAPPER;

/**
 * Turns a panel's saved definition into the Elasticsearch request Kibana sends for it, and the
 * response into the rows the panel shows. It reads everything from the saved object (data view
 * reference, query, columns, ordering, filters, time field), so a test built on it checks the
 * panel as written, not a query copied next to it.
 *
 * <p>What it models of Kibana: a Lens layer is one search on the data view's index pattern with
 * the visualization's KQL and the time range as filters; bucket columns nest in {@code columnOrder}
 * order (terms with size and order, date_histogram with the auto interval, filters, ranges);
 * metrics sit under the innermost bucket (count = doc_count, filtered metrics under a
 * {@code filter} aggregation, sum/avg/min/max/cardinality); {@code math}/{@code formula} columns
 * are computed from their parts; a terms ordered by a metric gets that metric as a sub-aggregation
 * to order on. {@code emptyAsNull} counts and sums show 0 as empty, as the data plugin does.
 * Not modelled: the "Other" bucket (every panel here turns it off), time shifts, reference lines.
 */
final class PanelQueries {

    /** The panel's time picker range; Kibana sends it as a range filter on the data view's time field. */
    record TimeRange(Instant from, Instant to) {
        ObjectNode filter() {
            ObjectNode r = MAPPER.createObjectNode();
            r.putObject("range").putObject("@timestamp")
                    .put("gte", from.toString()).put("lte", to.toString()).put("format", "strict_date_optional_time");
            return r;
        }
    }

    /** One search: the index pattern, the body, and how to read the answer into rows. */
    record Request(String index, ObjectNode body, Function<JsonNode, List<Map<String, Object>>> reader) {
    }

    private PanelQueries() {
    }

    // ----------------------------------------------------------------------------------- Lens

    static Request lens(SavedObjects objects, JsonNode lens, TimeRange range) {
        JsonNode state = lens.path("attributes").path("state");
        JsonNode layers = state.path("datasourceStates").path("formBased").path("layers");
        if (layers.size() != 1) {
            throw new IllegalArgumentException(lens.path("id").asText() + ": the translator handles one layer, found " + layers.size());
        }
        String layerId = layers.fieldNames().next();
        JsonNode layer = layers.get(layerId);
        JsonNode columns = layer.path("columns");
        String index = objects.indexPattern(SavedObjects.reference(lens, "indexpattern-datasource-layer-" + layerId));

        List<String> buckets = new ArrayList<>();
        List<String> metrics = new ArrayList<>();
        List<String> computed = new ArrayList<>();
        for (JsonNode c : layer.path("columnOrder")) {
            JsonNode col = columns.get(c.asText());
            if (col.path("isBucketed").asBoolean()) {
                buckets.add(c.asText());
            } else if (Set.of("math", "formula").contains(col.path("operationType").asText())) {
                computed.add(c.asText());
            } else {
                metrics.add(c.asText());
            }
        }

        ObjectNode body = MAPPER.createObjectNode().put("size", 0).put("track_total_hits", true);
        body.set("query", filtered(state.path("query").path("query").asText(""), range));
        ObjectNode aggsHolder = body;
        for (String b : buckets) {
            ObjectNode aggs = aggsHolder.has("aggs") ? (ObjectNode) aggsHolder.get("aggs") : aggsHolder.putObject("aggs");
            ObjectNode agg = aggs.putObject(b);
            bucketAgg(agg, columns.get(b), columns, range);
            aggsHolder = agg;
        }
        ObjectNode leaf = MAPPER.createObjectNode();
        for (String m : metrics) {
            ObjectNode a = metricAgg(columns.get(m));
            if (a != null) {
                leaf.set(m, a);
            }
        }
        if (!leaf.isEmpty()) {
            JsonNode existing = aggsHolder.get("aggs");
            if (existing == null) {
                aggsHolder.set("aggs", leaf);
            } else {
                ((ObjectNode) existing).setAll(leaf);
            }
        }
        return new Request(index, body, response -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            collect(response.path("aggregations"), response.path("hits").path("total").path("value").asLong(),
                    buckets, 0, new LinkedHashMap<>(), columns, metrics, computed, rows);
            return rows;
        });
    }

    private static void bucketAgg(ObjectNode agg, JsonNode col, JsonNode columns, TimeRange range) {
        String op = col.path("operationType").asText();
        JsonNode params = col.path("params");
        switch (op) {
            case "terms" -> {
                ObjectNode t = agg.putObject("terms");
                t.put("field", col.path("sourceField").asText());
                t.put("size", params.path("size").asInt(5));
                String direction = params.path("orderDirection").asText("desc");
                JsonNode orderBy = params.path("orderBy");
                ObjectNode order = t.putObject("order");
                if ("alphabetical".equals(orderBy.path("type").asText())) {
                    order.put("_key", direction);
                } else if ("column".equals(orderBy.path("type").asText())) {
                    String by = orderBy.path("columnId").asText();
                    JsonNode orderCol = columns.get(by);
                    boolean count = "count".equals(orderCol.path("operationType").asText());
                    if (count && !orderCol.has("filter")) {
                        order.put("_count", direction);
                    } else {
                        // the ordering metric as a sub-aggregation of the terms, addressed by its path
                        agg.putObject("aggs").set(by, metricAgg(orderCol));
                        order.put(!orderCol.has("filter") ? by : count ? by + ">_count" : by + ">v", direction);
                    }
                } else {
                    throw new IllegalArgumentException("terms ordered by " + orderBy);
                }
                if (params.path("otherBucket").asBoolean(false) || params.path("missingBucket").asBoolean(false)) {
                    throw new IllegalArgumentException("terms on " + col.path("sourceField").asText()
                            + " asks for the Other/missing bucket, which the translator does not model");
                }
            }
            case "date_histogram" -> {
                ObjectNode h = agg.putObject("date_histogram");
                h.put("field", col.path("sourceField").asText());
                String interval = params.path("interval").asText("auto");
                h.put("fixed_interval", "auto".equals(interval) ? autoInterval(range) : interval);
                h.put("time_zone", "UTC");
                if (params.path("includeEmptyRows").asBoolean(false)) {
                    h.put("min_doc_count", 0);
                    h.putObject("extended_bounds").put("min", range.from().toEpochMilli()).put("max", range.to().toEpochMilli());
                } else {
                    h.put("min_doc_count", 1);
                }
            }
            case "filters" -> {
                ObjectNode f = agg.putObject("filters").putObject("filters");
                for (JsonNode filter : params.path("filters")) {
                    if (!"kuery".equals(filter.path("input").path("language").asText())) {
                        throw new IllegalArgumentException("filters use KQL here: " + filter);
                    }
                    f.set(filter.path("label").asText(), Kql.toQuery(filter.path("input").path("query").asText()));
                }
            }
            case "range" -> {
                if (!"range".equals(params.path("type").asText())) {
                    throw new IllegalArgumentException("only explicit ranges are translated, not " + params.path("type"));
                }
                ObjectNode r = agg.putObject("range");
                r.put("field", col.path("sourceField").asText());
                r.put("keyed", false);
                ArrayNode ranges = r.putArray("ranges");
                for (JsonNode band : params.path("ranges")) {
                    ObjectNode b = ranges.addObject();
                    if (band.path("from").isNumber()) {
                        b.put("from", band.path("from").asDouble());
                    }
                    if (band.path("to").isNumber()) {
                        b.put("to", band.path("to").asDouble());
                    }
                    b.put("key", band.path("label").asText());
                }
            }
            default -> throw new IllegalArgumentException("bucket operation " + op + " is not translated");
        }
    }

    /** The aggregation for a metric column; null for a plain count (the bucket's doc_count). */
    private static ObjectNode metricAgg(JsonNode col) {
        String op = col.path("operationType").asText();
        ObjectNode inner = MAPPER.createObjectNode();
        String field = col.path("sourceField").asText();
        switch (op) {
            case "count" -> inner = null;
            case "sum" -> inner.putObject("sum").put("field", field);
            case "average" -> inner.putObject("avg").put("field", field);
            case "min" -> inner.putObject("min").put("field", field);
            case "max" -> inner.putObject("max").put("field", field);
            case "unique_count" -> inner.putObject("cardinality").put("field", field);
            default -> throw new IllegalArgumentException("metric operation " + op + " is not translated");
        }
        if (!col.has("filter")) {
            return inner;
        }
        ObjectNode filtered = MAPPER.createObjectNode();
        filtered.set("filter", Kql.toQuery(kuery(col.path("filter"))));
        if (inner != null) {
            filtered.putObject("aggs").set("v", inner);
        }
        return filtered;
    }

    private static void collect(JsonNode aggs, long total, List<String> buckets, int depth, Map<String, Object> row,
                                JsonNode columns, List<String> metrics, List<String> computed,
                                List<Map<String, Object>> rows) {
        if (depth == buckets.size()) {
            Map<String, Object> r = new LinkedHashMap<>(row);
            long docCount = depth == 0 ? total : aggs.path("doc_count").asLong();
            for (String m : metrics) {
                r.put(m, metricValue(columns.get(m), aggs.path(m), docCount));
            }
            for (String c : computed) {
                r.put(c, computedValue(columns.get(c), r));
            }
            rows.add(r);
            return;
        }
        String id = buckets.get(depth);
        JsonNode col = columns.get(id);
        JsonNode agg = aggs.path(id);
        String op = col.path("operationType").asText();
        if ("filters".equals(op)) {
            for (JsonNode filter : col.path("params").path("filters")) {
                String label = filter.path("label").asText();
                row.put(id, label);
                collect(agg.path("buckets").path(label), total, buckets, depth + 1, row, columns, metrics, computed, rows);
            }
        } else {
            for (JsonNode b : agg.path("buckets")) {
                if ("date_histogram".equals(op) && b.path("doc_count").asLong() == 0) {
                    continue; // an empty interval: no point to draw
                }
                Object key = switch (op) {
                    case "date_histogram" -> Instant.ofEpochMilli(b.path("key").asLong()).toString();
                    case "terms" -> b.path("key_as_string").isMissingNode() ? b.path("key").asText() : b.path("key_as_string").asText();
                    default -> b.path("key").asText();
                };
                row.put(id, key);
                collect(b, total, buckets, depth + 1, row, columns, metrics, computed, rows);
            }
        }
        row.remove(id);
    }

    private static Double metricValue(JsonNode col, JsonNode agg, long docCount) {
        String op = col.path("operationType").asText();
        boolean emptyAsNull = col.path("params").path("emptyAsNull").asBoolean(false);
        Double v;
        if ("count".equals(op)) {
            v = (double) (col.has("filter") ? agg.path("doc_count").asLong() : docCount);
        } else {
            JsonNode value = col.has("filter") ? agg.path("v").path("value") : agg.path("value");
            v = value.isNumber() ? value.asDouble() : null;
        }
        if (emptyAsNull && v != null && v == 0 && ("count".equals(op) || "sum".equals(op))) {
            return null;
        }
        return v;
    }

    private static Double computedValue(JsonNode col, Map<String, Object> row) {
        String op = col.path("operationType").asText();
        if ("formula".equals(op)) {
            return (Double) row.get(col.path("references").get(0).asText());
        }
        return evaluate(col.path("params").path("tinymathAst"), row);
    }

    /** tinymath's AST: a column id, a number, or {type: function, name, args}. */
    private static Double evaluate(JsonNode node, Map<String, Object> row) {
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isTextual()) {
            return (Double) row.get(node.asText());
        }
        List<Double> args = new ArrayList<>();
        for (JsonNode a : node.path("args")) {
            args.add(evaluate(a, row));
        }
        if (args.contains(null)) {
            return null;
        }
        return switch (node.path("name").asText()) {
            case "add" -> args.get(0) + args.get(1);
            case "subtract" -> args.get(0) - args.get(1);
            case "multiply" -> args.get(0) * args.get(1);
            case "divide" -> args.get(1) == 0 ? null : args.get(0) / args.get(1);
            default -> throw new IllegalArgumentException("tinymath function " + node.path("name") + " is not translated");
        };
    }

    /**
     * Kibana's auto interval: the time range over histogram:barTarget (50) buckets, rounded to the
     * nearest of its round intervals.
     */
    static String autoInterval(TimeRange range) {
        long target = Duration.between(range.from(), range.to()).toMillis() / 50;
        String[] names = {"1s", "5s", "10s", "30s", "1m", "5m", "10m", "30m", "1h", "3h", "12h", "1d", "7d", "30d"};
        long[] millis = {1_000, 5_000, 10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000, 3_600_000, 10_800_000,
                43_200_000, 86_400_000, 604_800_000, 2_592_000_000L};
        int best = 0;
        for (int i = 1; i < millis.length; i++) {
            if (Math.abs(Math.log((double) millis[i] / target)) < Math.abs(Math.log((double) millis[best] / target))) {
                best = i;
            }
        }
        return names[best];
    }

    // ----------------------------------------------------------------------------------- saved searches

    /** A saved search as Discover runs it: its KQL, the time range, its sort; rows are the hits' sources. */
    static Request search(SavedObjects objects, JsonNode search, TimeRange range) {
        JsonNode source = SavedObjects.json(search.path("attributes").path("kibanaSavedObjectMeta").path("searchSourceJSON"));
        String index = objects.indexPattern(SavedObjects.reference(search, source.path("indexRefName").asText()));
        ObjectNode body = MAPPER.createObjectNode().put("size", 500).put("track_total_hits", true);
        body.set("query", filtered(kuery(source.path("query")), range));
        ArrayNode sort = body.putArray("sort");
        for (JsonNode s : search.path("attributes").path("sort")) {
            sort.addObject().putObject(s.get(0).asText()).put("order", s.get(1).asText());
        }
        return new Request(index, body, response -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (JsonNode hit : response.path("hits").path("hits")) {
                Map<String, Object> row = new LinkedHashMap<>();
                flatten(hit.path("_source"), "", row);
                rows.add(row);
            }
            return rows;
        });
    }

    // ----------------------------------------------------------------------------------- maps

    /**
     * A Maps geo-grid layer: its own KQL and the map's global query and time (as the layer's
     * applyGlobalQuery/applyGlobalTime say), a geotile_grid on its geo field with a centroid per
     * cell; rows are (cell centroid lat, lon, count). The grid precision is the test's choice.
     */
    static Request mapLayer(SavedObjects objects, JsonNode map, String layerId, TimeRange range, int precision) {
        JsonNode layer = null;
        for (JsonNode l : SavedObjects.json(map.path("attributes").path("layerListJSON"))) {
            if (layerId.equals(l.path("id").asText())) {
                layer = l;
            }
        }
        if (layer == null) {
            throw new IllegalArgumentException(map.path("id").asText() + " has no layer " + layerId);
        }
        JsonNode source = layer.path("sourceDescriptor");
        if (!"ES_GEO_GRID".equals(source.path("type").asText())) {
            throw new IllegalArgumentException("only ES_GEO_GRID layers are translated: " + source.path("type"));
        }
        String index = objects.indexPattern(SavedObjects.reference(map, source.path("indexPatternRefName").asText()));
        JsonNode state = SavedObjects.json(map.path("attributes").path("mapStateJSON"));
        ObjectNode bool = MAPPER.createObjectNode();
        ArrayNode filter = bool.putObject("bool").putArray("filter");
        filter.add(Kql.toQuery(kuery(layer.path("query"))));
        if (source.path("applyGlobalQuery").asBoolean(true)) {
            filter.add(Kql.toQuery(kuery(state.path("query"))));
        }
        if (source.path("applyGlobalTime").asBoolean(true)) {
            filter.add(range.filter());
        }
        String geoField = source.path("geoField").asText();
        ObjectNode body = MAPPER.createObjectNode().put("size", 0);
        body.set("query", bool);
        ObjectNode grid = body.putObject("aggs").putObject("grid");
        grid.putObject("geotile_grid").put("field", geoField).put("precision", precision).put("size", 65535);
        grid.putObject("aggs").putObject("centroid").putObject("geo_centroid").put("field", geoField);
        return new Request(index, body, response -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (JsonNode b : response.path("aggregations").path("grid").path("buckets")) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("lat", b.path("centroid").path("location").path("lat").asDouble());
                row.put("lon", b.path("centroid").path("location").path("lon").asDouble());
                row.put("count", b.path("doc_count").asDouble());
                rows.add(row);
            }
            return rows;
        });
    }

    // ----------------------------------------------------------------------------------- controls

    /** An options-list control: the values it offers (terms on its field, in the time range). */
    static Request optionsList(SavedObjects objects, String dataViewId, String field, TimeRange range) {
        ObjectNode body = MAPPER.createObjectNode().put("size", 0);
        body.set("query", filtered("", range));
        body.putObject("aggs").putObject("options").putObject("terms").put("field", field).put("size", 10);
        return new Request(objects.indexPattern(dataViewId), body, response -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (JsonNode b : response.path("aggregations").path("options").path("buckets")) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("value", b.path("key").asText());
                row.put("count", b.path("doc_count").asDouble());
                rows.add(row);
            }
            return rows;
        });
    }

    // ----------------------------------------------------------------------------------- helpers

    private static ObjectNode filtered(String kql, TimeRange range) {
        ObjectNode q = MAPPER.createObjectNode();
        ArrayNode filter = q.putObject("bool").putArray("filter");
        filter.add(Kql.toQuery(kql));
        filter.add(range.filter());
        return q;
    }

    private static String kuery(JsonNode query) {
        String language = query.path("language").asText("kuery");
        if (!"kuery".equals(language)) {
            throw new IllegalArgumentException("the panels use KQL; found " + language + ": " + query);
        }
        return query.path("query").asText("");
    }

    private static void flatten(JsonNode node, String prefix, Map<String, Object> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isObject()) {
                flatten(e.getValue(), prefix + e.getKey() + ".", out);
            } else {
                JsonNode v = e.getValue();
                out.put(prefix + e.getKey(), v.isNumber() ? (Object) v.asDouble() : v.isTextual() ? v.asText() : v.toString());
            }
        }
    }
}
