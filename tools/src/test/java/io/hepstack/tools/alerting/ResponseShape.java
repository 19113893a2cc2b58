package io.hepstack.tools.alerting;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of the search response a search body produces, built from the body alone: every key
 * the response will have, with a placeholder value (arrays have one element). Paths that walk this
 * skeleton to a non-null value exist in the real response; the integration test confirms it.
 * Knows the aggregation types hepstack's watches use and fails on any other.
 */
final class ResponseShape {

    private ResponseShape() {
    }

    static Map<String, Object> of(JsonNode body) {
        Map<String, Object> hit = new LinkedHashMap<>();
        hit.put("_index", "index");
        hit.put("_id", "id");
        hit.put("_score", 0);
        hit.put("_source", source(body.path("_source")));
        if (body.has("sort")) {
            hit.put("sort", List.of(0));
        }
        Map<String, Object> hits = new LinkedHashMap<>();
        hits.put("total", 0);
        hits.put("max_score", 0);
        hits.put("hits", List.of(hit));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("took", 0);
        root.put("timed_out", false);
        root.put("_shards", Map.of("total", 0, "successful", 0, "skipped", 0, "failed", 0));
        root.put("hits", hits);
        if (body.has("aggs") || body.has("aggregations")) {
            root.put("aggregations", aggs(body.has("aggs") ? body.path("aggs") : body.path("aggregations")));
        }
        return root;
    }

    private static Map<String, Object> source(JsonNode includes) {
        Map<String, Object> src = new LinkedHashMap<>();
        for (JsonNode inc : includes) {
            Map<String, Object> at = src;
            String[] parts = inc.asText().split("\\.");
            for (int i = 0; i < parts.length - 1; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> next = (Map<String, Object>) at.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
                at = next;
            }
            at.put(parts[parts.length - 1], "value");
        }
        return src;
    }

    private static Map<String, Object> aggs(JsonNode aggs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = aggs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), agg(e.getKey(), e.getValue()));
        }
        return out;
    }

    static String type(String name, JsonNode def) {
        for (Iterator<String> it = def.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("aggs") && !k.equals("aggregations") && !k.equals("meta")) {
                return k;
            }
        }
        throw new AssertionError("aggregation " + name + " has no type");
    }

    private static Map<String, Object> agg(String name, JsonNode def) {
        String type = type(name, def);
        JsonNode sub = def.has("aggs") ? def.path("aggs") : def.path("aggregations");
        Map<String, Object> out = new LinkedHashMap<>();
        switch (type) {
            case "terms", "histogram", "date_histogram" -> {
                Map<String, Object> bucket = new LinkedHashMap<>();
                bucket.put("key", "key");
                bucket.put("doc_count", 0);
                bucket.putAll(aggs(sub));
                if (type.equals("terms")) {
                    out.put("doc_count_error_upper_bound", 0);
                    out.put("sum_other_doc_count", 0);
                }
                out.put("buckets", List.of(bucket));
            }
            case "filter", "missing", "global" -> {
                out.put("doc_count", 0);
                out.putAll(aggs(sub));
            }
            case "sum", "avg", "value_count", "cardinality" -> out.put("value", 0);
            case "min", "max" -> {
                out.put("value", 0);
                out.put("value_as_string", "value");
            }
            default -> throw new AssertionError("aggregation type " + type + " (" + name + ") is not known to this test");
        }
        return out;
    }
}
