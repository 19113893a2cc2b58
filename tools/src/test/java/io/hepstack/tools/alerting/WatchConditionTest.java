package io.hepstack.tools.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Watcher's compare and array_compare semantics, case by case (read from Watcher's source). */
class WatchConditionTest {

    private static final ObjectMapper M = new ObjectMapper();

    private static final String PAYLOAD = """
            {"hits":{"total":7},
             "aggregations":{
               "floor":{"value":800.0},
               "calls":{"buckets":[{"key":"call","doc_count":25,"answered":{"doc_count":5,"x":{"value":500.0}}}]},
               "empty":{"buckets":[]},
               "nodes":{"buckets":[{"key":"a","doc_count":19},{"key":"b","doc_count":20},{"key":"c","doc_count":3}]},
               "avg":{"value":null},
               "name":{"value":"node-7"}}}""";

    private static final String METADATA = """
            {"threshold":20,"pct":40,"mos":3.5,"text_number":"20","enabled":false}""";

    private static boolean eval(String condition) throws Exception {
        return result(condition).met();
    }

    private static WatchCondition.Result result(String condition) throws Exception {
        Map<String, Object> model = WatchCondition.model("w", M.readTree(METADATA), M.readTree(PAYLOAD));
        return WatchCondition.evaluate(M.readTree(condition), model);
    }

    private static String cmp(String path, String op, String value) {
        return "{\"compare\":{\"" + path + "\":{\"" + op + "\":" + value + "}}}";
    }

    @Test
    void compareOperatorsAtTheirBoundaries() throws Exception {
        String total = "ctx.payload.hits.total";
        assertThat(eval(cmp(total, "eq", "7"))).isTrue();
        assertThat(eval(cmp(total, "eq", "7.0"))).as("numbers compare as numbers").isTrue();
        assertThat(eval(cmp(total, "not_eq", "7"))).isFalse();
        assertThat(eval(cmp(total, "gt", "7"))).isFalse();
        assertThat(eval(cmp(total, "gte", "7"))).isTrue();
        assertThat(eval(cmp(total, "lt", "7"))).isFalse();
        assertThat(eval(cmp(total, "lte", "7"))).isTrue();
        assertThat(eval(cmp(total, "gt", "6"))).isTrue();
        assertThat(eval(cmp(total, "lt", "8"))).isTrue();
    }

    @Test
    void configuredValuesCanBePathsIntoTheContext() throws Exception {
        assertThat(eval(cmp("ctx.payload.hits.total", "lt", "\"{{ctx.metadata.threshold}}\""))).isTrue();
        WatchCondition.Result r = result(cmp("ctx.payload.aggregations.calls.buckets.0.answered.x.value", "lt",
                "\"{{ctx.payload.aggregations.floor.value}}\""));
        assertThat(r.met()).isTrue();
        assertThat(r.resolved()).containsEntry("ctx.payload.aggregations.floor.value", 800.0)
                .containsEntry("ctx.payload.aggregations.calls.buckets.0.answered.x.value", 500.0);
    }

    @Test
    void theConfiguredValueDecidesTheComparison() throws Exception {
        // "20" is text: 7 compares as the string "7", which sorts after "20"
        assertThat(eval(cmp("ctx.payload.hits.total", "lt", "\"{{ctx.metadata.text_number}}\""))).isFalse();
        assertThat(eval(cmp("ctx.payload.hits.total", "gt", "\"20\""))).isTrue();
        // a numeric value against text that reads as a number still compares numerically
        assertThat(eval(cmp("ctx.metadata.text_number", "gte", "20"))).isTrue();
        assertThat(eval(cmp("ctx.payload.aggregations.name.value", "gt", "1"))).as("not a number: no order").isFalse();
        assertThat(eval(cmp("ctx.payload.aggregations.name.value", "eq", "\"node-7\""))).isTrue();
        assertThat(eval(cmp("ctx.metadata.enabled", "eq", "true"))).isFalse();
        assertThat(eval(cmp("ctx.metadata.enabled", "eq", "false"))).isTrue();
    }

    @Test
    void aMissingValueNeverOrdersButIsNotEqual() throws Exception {
        for (String op : new String[]{"eq", "lt", "lte", "gt", "gte"}) {
            assertThat(eval(cmp("ctx.payload.aggregations.avg.value", op, "3.5"))).as(op).isFalse();
            assertThat(eval(cmp("ctx.payload.nothing.here", op, "3.5"))).as(op).isFalse();
        }
        assertThat(eval(cmp("ctx.payload.aggregations.avg.value", "not_eq", "3.5"))).isTrue();
        assertThat(eval(cmp("ctx.payload.aggregations.avg.value", "eq", "null"))).as("null equals null").isTrue();
    }

    @Test
    void arrayCompareQuantifiers() throws Exception {
        String some = """
                {"array_compare":{"ctx.payload.aggregations.nodes.buckets":{"path":"doc_count","gte":{"value":20,"quantifier":"some"}}}}""";
        String all = some.replace("\"some\"", "\"all\"");
        String defaulted = some.replace(",\"quantifier\":\"some\"", "");
        assertThat(eval(some)).isTrue();
        assertThat(eval(defaulted)).as("quantifier defaults to some").isTrue();
        assertThat(eval(all)).isFalse();
        assertThat(eval(some.replace("\"value\":20", "\"value\":21"))).isFalse();
        assertThat(eval(all.replace("\"value\":20", "\"value\":3"))).isTrue();
        assertThat(eval(some.replace("\"value\":20", "\"value\":\"{{ctx.metadata.threshold}}\""))).isTrue();
        // "not_eq" in array_compare only counts values that order
        assertThat(eval(some.replace("\"gte\"", "\"not_eq\"").replace("\"path\":\"doc_count\"", "\"path\":\"missing\""))).isFalse();
    }

    @Test
    void arrayCompareOnAnEmptyOrMissingArray() throws Exception {
        String some = """
                {"array_compare":{"ctx.payload.aggregations.empty.buckets":{"path":"doc_count","lt":{"value":1,"quantifier":"some"}}}}""";
        assertThat(eval(some)).isFalse();
        assertThat(eval(some.replace("\"some\"", "\"all\""))).as("all over nothing is vacuously true").isTrue();
        assertThat(eval(some.replace("empty.buckets", "absent.buckets"))).isFalse();
        assertThatThrownBy(() -> eval(some.replace("empty.buckets", "floor.value")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("did not evaluate to array");
    }

    @Test
    void indexingPastTheEndOfAnArrayFailsLikeWatcher() {
        assertThatThrownBy(() -> eval(cmp("ctx.payload.aggregations.empty.buckets.0.doc_count", "gt", "0")))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void conditionsWithoutScriptsOnly() throws Exception {
        assertThat(eval("{\"always\":{}}")).isTrue();
        assertThat(eval("{\"never\":{}}")).isFalse();
        assertThatThrownBy(() -> eval("{\"script\":{\"source\":\"return true\"}}"))
                .isInstanceOf(WatchCondition.UnsupportedConditionException.class).hasMessageContaining("script");
        assertThatThrownBy(() -> eval(cmp("ctx.payload.hits.total", "bigger", "1")))
                .isInstanceOf(WatchCondition.UnsupportedConditionException.class).hasMessageContaining("bigger");
        assertThatThrownBy(() -> eval(cmp("ctx.execution_time", "gte", "\"<{now-5m}>\"")))
                .isInstanceOf(WatchCondition.UnsupportedConditionException.class).hasMessageContaining("date math");
    }

    @Test
    void theModelHasTheContextVariables() throws Exception {
        JsonNode meta = M.readTree(METADATA);
        Map<String, Object> model = WatchCondition.model("my-watch", meta, M.readTree(PAYLOAD));
        assertThat(WatchCondition.eval("ctx.watch_id", model)).isEqualTo("my-watch");
        assertThat(WatchCondition.eval("ctx.metadata.mos", model)).isEqualTo(3.5);
        assertThat(WatchCondition.eval("ctx.execution_time", model)).asString().endsWith("Z");
        assertThat(WatchCondition.eval("ctx.payload.aggregations.nodes.buckets.2.key", model)).isEqualTo("c");
        assertThat(WatchCondition.eval("ctx.payload.aggregations.nodes.buckets.x", model)).isNull();
    }
}
