package io.hepstack.tools.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every watch file of alerting/watchers/, checked against the index templates without a cluster:
 * structure, knobs, indices, the type of every field it queries or aggregates, and every path its
 * condition reads. The integration test then runs the same searches for real.
 */
class WatchFilesTest {

    private static final Path DIR = Path.of("../alerting/watchers");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern METADATA_PLACEHOLDER = Pattern.compile("\\{\\{\\s*ctx\\.metadata\\.([A-Za-z0-9_.]+)\\s*}}");
    private static final Pattern TIME_VALUE = Pattern.compile("[1-9][0-9]*(ms|s|m|h|d)");
    private static final Set<String> NUMERIC = Set.of("long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float");
    private static final Set<String> DATES = Set.of("date", "date_nanos");
    /** tdr.status values the correlator writes (issue 3's data contract). */
    private static final Set<String> TDR_STATUSES = Set.of("INIT", "TRYING", "RINGING", "ANSWERED", "FINISHED", "CANCELED",
            "USER_BUSY", "DECLINE", "USER_FAILURE", "HARD_FAILURE", "MOVED", "SUCCESS", "TIMEOUT");
    /** Field the ASR watch sums with "missing" to get a constant per document: it must stay unmapped. */
    private static final String UNIT_FIELD = "hepstack_watch_unit";

    private static List<Watch> watches;
    private static List<TemplateMappings.IndexTemplate> templates;

    @BeforeAll
    static void load() throws Exception {
        watches = WatchFiles.fromDirectory(DIR, MAPPER);
        templates = TemplateMappings.load();
    }

    @Test
    void thePackagedListIsExactlyTheFolderAndTheClasspathCopiesAreTheFiles() throws Exception {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(DIR)) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        }
        assertThat(names).allMatch(n -> n.endsWith(".json"));
        assertThat(watches.stream().map(Watch::id).toList()).containsExactlyInAnyOrderElementsOf(WatchFiles.PACKAGED);
        List<Watch> packaged = WatchFiles.packaged(MAPPER);
        assertThat(packaged).extracting(Watch::id).containsExactlyElementsOf(WatchFiles.PACKAGED);
        for (Watch p : packaged) {
            Watch file = watches.stream().filter(w -> w.id().equals(p.id())).findFirst().orElseThrow();
            assertThat(p.checksum()).as("classpath copy of %s is stale: rebuild index-templates", p.id()).isEqualTo(file.checksum());
        }
        assertThat(WatchFiles.PACKAGED).contains("hepstack-asr-drop", "hepstack-mos-drop", "hepstack-cost-spike",
                "hepstack-critical-fraud-alerts");
    }

    @Test
    void everyWatchHasTheRequiredPartsAndItsKnobsInMetadata() {
        for (Watch w : watches) {
            JsonNode b = w.body();
            String id = w.id();
            assertThat(b.at("/trigger/schedule/interval").asText()).as(id).matches(TIME_VALUE);
            assertThat(b.path("throttle_period").asText()).as(id).matches(TIME_VALUE);
            JsonNode meta = w.metadata();
            for (String k : List.of("name", "description", "parameter", "subject", "window")) {
                assertThat(meta.path(k).isTextual()).as(id + " metadata." + k).isTrue();
            }
            assertThat(meta.path("window").asText()).as(id).matches(TIME_VALUE);
            assertThat(meta.path("severity").asText()).as(id).isIn("warning", "critical");
            assertThat(meta.path("webhook_enabled").isBoolean()).as(id).isTrue();
            assertThat(meta.path("webhook_enabled").asBoolean()).as(id + ": the webhook is a placeholder, off until configured").isFalse();

            JsonNode actions = b.path("actions");
            assertThat(actions.at("/log/logging/text").asText()).as(id).contains("{{ctx.metadata.name}}");
            assertThat(actions.at("/log/logging/level").asText()).as(id).isIn("error", "warn", "info");
            JsonNode webhook = actions.path("notify_webhook");
            assertThat(webhook.path("condition").toString()).as(id)
                    .isEqualTo("{\"compare\":{\"ctx.metadata.webhook_enabled\":{\"eq\":true}}}");
            assertThat(webhook.at("/webhook/method").asText()).as(id).isEqualTo("post");
            assertThat(webhook.at("/webhook/host").asText()).as(id).endsWith(".invalid");
            assertThat(webhook.at("/webhook/body").asText()).as(id).contains("{{ctx.watch_id}}");
            JsonNode index = actions.path("index_alert");
            assertThat(index.at("/index/index").asText()).as(id).isEqualTo("hep-alert-watcher");
            assertThat(index.at("/index/execution_time_field").asText()).as(id).isEqualTo("@timestamp");
            assertThat(index.at("/transform/script/lang").asText()).as(id).isEqualTo("painless");
            // the webhook action's own condition works with the default metadata: it does not run
            assertThat(WatchCondition.evaluate(webhook.path("condition"), WatchCondition.model(id, meta, MAPPER.createObjectNode())).met())
                    .as(id).isFalse();
        }
    }

    @Test
    void everyMetadataPlaceholderAnywhereInAWatchNamesAKnob() {
        for (Watch w : watches) {
            JsonNode meta = w.metadata();
            List<String> used = new ArrayList<>();
            Matcher m = METADATA_PLACEHOLDER.matcher(w.body().toString());
            while (m.find()) {
                used.add(m.group(1));
            }
            Matcher script = Pattern.compile("ctx\\.metadata\\.([A-Za-z0-9_]+)")
                    .matcher(w.body().at("/actions/index_alert/transform/script/source").asText());
            while (script.find()) {
                used.add(script.group(1));
            }
            assertThat(used).as(w.id()).isNotEmpty();
            for (String key : used) {
                assertThat(meta.at("/" + key.replace('.', '/')).isValueNode()).as(w.id() + ": metadata." + key).isTrue();
            }
            // and the search body renders to JSON with nothing left in braces
            String rendered = WatchSearch.renderedBody(w, MAPPER);
            assertThat(rendered).as(w.id()).doesNotContain("{{");
        }
    }

    @Test
    void theIndexActionWritesOnlyFieldsTheAlertTemplateMaps() {
        TemplateMappings.IndexTemplate alerts = template("hep-alert-watcher");
        for (Watch w : watches) {
            String script = w.body().at("/actions/index_alert/transform/script/source").asText();
            for (String object : List.of("alert", "event")) {
                int start = script.indexOf("'" + object + "': [");
                assertThat(start).as(w.id() + " writes " + object).isPositive();
                String inner = script.substring(start + object.length() + 5, script.indexOf(']', start));
                Matcher keys = Pattern.compile("'([a-z_]+)':").matcher(inner);
                int n = 0;
                while (keys.find()) {
                    assertThat(alerts.fields()).as(w.id()).containsKey(object + "." + keys.group(1));
                    n++;
                }
                assertThat(n).as(w.id()).isPositive();
            }
            assertThat(alerts.fields()).containsKey("message");
        }
    }

    @Test
    void everyWatchSearchesIndicesOfAHepstackTemplate() {
        for (Watch w : watches) {
            JsonNode indices = w.searchRequest().path("indices");
            assertThat(indices.isArray() && !indices.isEmpty()).as(w.id()).isTrue();
            for (JsonNode i : indices) {
                assertThat(template(i.asText())).as(w.id() + " " + i.asText()).isNotNull();
            }
        }
    }

    @Test
    void everyFieldAWatchQueriesAggregatesSortsOrReturnsIsMappedWithASuitableType() throws Exception {
        for (Watch w : watches) {
            TemplateMappings.IndexTemplate t = template(w.searchRequest().path("indices").get(0).asText());
            JsonNode body = MAPPER.readTree(WatchSearch.renderedBody(w, MAPPER));
            List<String> checked = new ArrayList<>();
            query(w.id(), t, body.path("query"), checked);
            aggs(w.id(), t, body.path("aggs"), checked);
            for (JsonNode s : body.path("sort")) {
                String f = s.isTextual() ? s.asText() : s.fieldNames().next();
                assertType(w.id(), t, f, "sort", union(NUMERIC, DATES, Set.of("keyword")));
                checked.add(f);
            }
            for (JsonNode s : body.path("_source")) {
                assertThat(t.hasPath(s.asText())).as(w.id() + " _source " + s.asText()).isTrue();
            }
            assertThat(checked).as(w.id() + " has a time window").contains("@timestamp");
            assertThat(body.toString()).as(w.id() + ": time windows come from metadata").contains("\"gte\":\"now-");
            if (t.name().equals("hep-alert")) {
                assertThat(body.path("query").path("bool").path("must_not").toString()).as(w.id()
                        + " must not count the watcher's own documents in hep-alert-watcher")
                        .contains("{\"term\":{\"event.dataset\":\"hep.watcher\"}}");
            }
        }
    }

    @Test
    void everyPathAConditionReadsExistsInTheResponseAndComparesNumbersToNumbers() throws Exception {
        for (Watch w : watches) {
            JsonNode body = MAPPER.readTree(WatchSearch.renderedBody(w, MAPPER));
            Map<String, Object> model = WatchCondition.model(w.id(), w.metadata(), MAPPER.valueToTree(ResponseShape.of(body)));
            JsonNode condition = w.condition();
            String type = condition.fieldNames().next();
            assertThat(type).as(w.id() + ": no scripts in conditions").isIn("compare", "array_compare");
            Map.Entry<String, JsonNode> spec = condition.path(type).fields().next();
            String path = spec.getKey();
            assertThat(path).as(w.id()).startsWith("ctx.payload.");
            assertNoIndex(w.id(), path);
            JsonNode opAndValue;
            if (type.equals("compare")) {
                assertThat(WatchCondition.eval(path, model)).as(w.id() + " " + path).isNotNull();
                opAndValue = spec.getValue();
                assertThat(opAndValue.size()).isEqualTo(1);
                opAndValue = opAndValue.fields().next().getValue();
            } else {
                Object array = WatchCondition.eval(path, model);
                assertThat(array).as(w.id() + " " + path + " is an array").isInstanceOf(List.class);
                String elementPath = spec.getValue().path("path").asText();
                assertNoIndex(w.id(), elementPath);
                assertThat(WatchCondition.eval(elementPath, ((List<?>) array).get(0))).as(w.id() + " element " + elementPath).isNotNull();
                JsonNode op = null;
                for (Iterator<Map.Entry<String, JsonNode>> it = spec.getValue().fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getKey().equals("path")) {
                        op = e.getValue();
                    }
                }
                assertThat(op).as(w.id()).isNotNull();
                assertThat(op.path("quantifier").asText()).as(w.id()).isEqualTo("some");
                opAndValue = op.path("value");
            }
            Object configured = opAndValue.isTextual() && opAndValue.asText().startsWith("{{")
                    ? WatchCondition.eval(opAndValue.asText().substring(2, opAndValue.asText().length() - 2).trim(), model)
                    : MAPPER.convertValue(opAndValue, Object.class);
            assertThat(configured).as(w.id() + ": the compared value must be a number (a string would compare as text)")
                    .isInstanceOf(Number.class);
            if (String.valueOf(path).contains("hits.total")) {
                assertThat(w.searchRequest().path("rest_total_hits_as_int").asBoolean(true)).as(w.id()).isTrue();
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static TemplateMappings.IndexTemplate template(String indexExpression) {
        return templates.stream().filter(t -> t.covers(indexExpression)).findFirst().orElse(null);
    }

    /** Watcher's paths throw on an index past the end of an array, so conditions must not use one. */
    private static void assertNoIndex(String id, String path) {
        for (String part : path.split("\\.")) {
            assertThat(part.chars().allMatch(Character::isDigit)).as(id + ": no array index in " + path).isFalse();
        }
    }

    private static void query(String id, TemplateMappings.IndexTemplate t, JsonNode q, List<String> checked) {
        if (q.isMissingNode()) {
            return;
        }
        assertThat(q.size()).as(id + " query clause " + q).isEqualTo(1);
        Map.Entry<String, JsonNode> clause = q.fields().next();
        JsonNode spec = clause.getValue();
        switch (clause.getKey()) {
            case "bool" -> {
                for (String occur : List.of("filter", "must", "should", "must_not")) {
                    JsonNode list = spec.path(occur);
                    if (list.isArray()) {
                        list.forEach(c -> query(id, t, c, checked));
                    } else if (list.isObject()) {
                        query(id, t, list, checked);
                    }
                }
            }
            case "term", "terms" -> {
                Map.Entry<String, JsonNode> f = spec.fields().next();
                String type = assertType(id, t, f.getKey(), clause.getKey(), union(NUMERIC, Set.of("keyword", "boolean", "ip")));
                List<JsonNode> values = new ArrayList<>();
                if (f.getValue().isArray()) {
                    f.getValue().forEach(values::add);
                } else {
                    values.add(f.getValue().has("value") ? f.getValue().path("value") : f.getValue());
                }
                for (JsonNode v : values) {
                    assertValueFits(id, f.getKey(), type, v);
                }
                checked.add(f.getKey());
            }
            case "range" -> {
                String f = spec.fieldNames().next();
                assertType(id, t, f, "range", union(NUMERIC, DATES, Set.of("ip")));
                checked.add(f);
            }
            case "exists" -> {
                String f = spec.path("field").asText();
                assertThat(t.fields()).as(id + " exists " + f).containsKey(f);
                checked.add(f);
            }
            default -> fail(id + ": query clause " + clause.getKey() + " is not checked by this test; teach it");
        }
    }

    private static void aggs(String id, TemplateMappings.IndexTemplate t, JsonNode aggs, List<String> checked) {
        for (Iterator<Map.Entry<String, JsonNode>> it = aggs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String type = ResponseShape.type(e.getKey(), e.getValue());
            JsonNode spec = e.getValue().path(type);
            String where = id + " aggregation " + e.getKey();
            if (type.equals("filter")) {
                query(where, t, spec, checked);
            } else {
                String field = spec.path("field").asText();
                if (field.equals(UNIT_FIELD)) {
                    assertThat(templates).allSatisfy(tt -> assertThat(tt.hasPath(UNIT_FIELD)).as(tt.name()).isFalse());
                    assertThat(type).as(where).isEqualTo("sum");
                    assertThat(spec.path("missing").isMissingNode()).as(where + " needs 'missing'").isFalse();
                    assertThat(Double.parseDouble(spec.path("missing").asText())).as(where).isPositive();
                } else {
                    Set<String> allowed = switch (type) {
                        case "sum", "avg" -> NUMERIC;
                        case "min", "max" -> union(NUMERIC, DATES, Set.of());
                        case "terms" -> union(NUMERIC, Set.of("keyword", "ip", "boolean"), Set.of());
                        default -> throw new AssertionError(where + ": aggregation type " + type + " is not checked by this test");
                    };
                    assertType(where, t, field, type, allowed);
                    checked.add(field);
                }
                if (type.equals("terms") && spec.has("order")) {
                    String by = spec.path("order").fieldNames().next();
                    assertThat(by.startsWith("_") || e.getValue().path("aggs").has(by)).as(where + " orders by " + by).isTrue();
                }
            }
            aggs(id, t, e.getValue().path("aggs"), checked);
        }
    }

    private static String assertType(String where, TemplateMappings.IndexTemplate t, String field, String use, Set<String> allowed) {
        String type = t.fields().get(field);
        assertThat(type).as(where + ": " + field + " is not mapped in " + t.name()).isNotNull();
        assertThat(type).as(where + ": " + field + " (" + type + ") for " + use).isIn(allowed);
        return type;
    }

    private static void assertValueFits(String where, String field, String type, JsonNode v) {
        if (type.equals("boolean")) {
            assertThat(v.isBoolean()).as(where + " " + field + "=" + v).isTrue();
        } else if (NUMERIC.contains(type)) {
            assertThat(v.isNumber()).as(where + " " + field + "=" + v).isTrue();
        } else {
            assertThat(v.isTextual()).as(where + " " + field + "=" + v).isTrue();
        }
        switch (field) {
            case "tdr.status" -> assertThat(v.asText()).as(where).isIn(TDR_STATUSES);
            case "tdr.type" -> assertThat(v.asText()).as(where).isIn("call", "registration");
            case "alert.severity" -> assertThat(v.asText()).as(where).isIn("warning", "critical");
            case "event.dataset" -> assertThat(v.asText()).as(where).isIn("hep.watcher", "hep.alert", "hep.tdr");
            default -> {
            }
        }
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (Set<String> s : sets) {
            out.addAll(s);
        }
        return out;
    }
}
