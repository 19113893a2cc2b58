package io.hepstack.tools.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.collector.es.ElasticsearchClients;
import io.hepstack.collector.index.TemplateInstaller;
import io.hepstack.collector.testing.EsHttp;
import io.hepstack.collector.testing.TestElasticsearch;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each packaged watch's search input, exactly as written (metadata placeholders rendered), against
 * the real Elasticsearch with the hepstack templates, over seeded documents whose answer is known;
 * then the watch's own condition on the real response. One scenario that must fire and at least one
 * that must not, per watch; noise that a wrong query would count (other types and statuses, data
 * outside the window in yesterday's index) is seeded next to it. Each scenario has its own indices
 * ({@code hep-<family>-wt-<scenario>-<UTC day>}), and the search is pointed at them only.
 */
class WatchSearchIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);
    /** Taken when each test starts (Elasticsearch may take a minute to start before the first). */
    private Instant now;
    private Instant yesterday;

    private static RestClient rest;
    private static WatchSearch search;
    private static Map<String, Watch> watches;
    private static final Set<String> seeded = new TreeSet<>();

    @BeforeAll
    static void start() throws Exception {
        rest = ElasticsearchClients.restClient(new ElasticsearchClients.Connection(
                List.of(TestElasticsearch.url()), null, null, null, null));
        new TemplateInstaller(rest, MAPPER, new TemplateInstaller.IndexSettings(1, 0, "1s")).install();
        search = new WatchSearch(rest, MAPPER);
        watches = new java.util.LinkedHashMap<>();
        for (Watch w : WatchFiles.packaged(MAPPER)) {
            watches.put(w.id(), w);
        }
    }

    @BeforeEach
    void clock() {
        now = Instant.now();
        yesterday = now.minus(Duration.ofHours(24));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        EsHttp es = EsHttp.shared();
        for (String index : seeded) {
            es.delete("/" + index);
        }
        if (rest != null) {
            rest.close();
        }
    }

    // ---- ASR drop: 40 %, at least 20 attempts, 15 minutes -------------------------------------

    @Test
    void asrDropFiresBelowTheThresholdAndCountsOnlyFinishedOrAnsweredCallsInTheWindow() throws Exception {
        Seed s = new Seed("tdr", "asr-low");
        for (int i = 0; i < 4; i++) {
            s.add(min(1 + i), call("FINISHED"));
        }
        s.add(min(2), call("ANSWERED"));
        String[] failed = {"CANCELED", "USER_BUSY", "DECLINE", "USER_FAILURE", "HARD_FAILURE"};
        for (int i = 0; i < 20; i++) {
            s.add(min(1 + i % 12), call(failed[i % failed.length]));
        }
        asrNoise(s);
        s.flush();

        Run r = run("hepstack-asr-drop", s);
        r.assertFires();
        JsonNode bucket = r.payload.at("/aggregations/calls/buckets/0");
        assertThat(bucket.path("doc_count").asInt()).isEqualTo(25);
        assertThat(bucket.at("/answered/doc_count").asInt()).isEqualTo(5);
        assertThat(bucket.at("/answered/answered_x_100/value").asDouble()).isEqualTo(500.0);
        assertThat(r.payload.at("/aggregations/attempts_x_min_pct/value").asDouble()).isEqualTo(40.0 * 25);
        assertThat(r.payload.at("/hits/total").isInt()).as("Watcher reads hits.total as a number").isTrue();
        assertThat(r.log()).contains("5 of 25 call attempts answered in the last 15m (alert below 40% with at least 20 attempts)");
    }

    @Test
    void asrDropStaysQuietAtExactlyTheThreshold() throws Exception {
        Seed s = new Seed("tdr", "asr-edge");
        for (int i = 0; i < 25; i++) {
            s.add(min(1 + i % 10), call(i < 10 ? "FINISHED" : "CANCELED"));
        }
        asrNoise(s);
        s.flush();

        Run r = run("hepstack-asr-drop", s);
        r.assertQuiet(); // 10 of 25 is 40 %, not below it
        assertThat(r.payload.at("/aggregations/calls/buckets/0/answered/answered_x_100/value").asDouble()).isEqualTo(1000.0);
        assertThat(r.payload.at("/aggregations/attempts_x_min_pct/value").asDouble()).isEqualTo(1000.0);
    }

    @Test
    void asrDropStaysQuietWithTooFewAttempts() throws Exception {
        Seed s = new Seed("tdr", "asr-few");
        for (int i = 0; i < 19; i++) {
            s.add(min(1 + i % 10), call("HARD_FAILURE"));
        }
        for (int i = 0; i < 40; i++) {
            s.add(yesterday.minusSeconds(i), call("HARD_FAILURE"));
        }
        s.flush();

        Run r = run("hepstack-asr-drop", s);
        r.assertQuiet();
        assertThat(r.payload.at("/hits/total").asInt()).isEqualTo(19);
        assertThat(r.payload.at("/aggregations/calls/buckets").size()).as("19 < 20 attempts: no bucket").isZero();
    }

    /** Calls a wrong query would count: live ones, registrations, answered calls outside the window. */
    private void asrNoise(Seed s) {
        for (int i = 0; i < 5; i++) {
            s.add(min(1), call("RINGING"));
            s.add(min(2), registration("SUCCESS", 200));
        }
        for (int i = 0; i < 30; i++) {
            s.add(yesterday.minusSeconds(i), call("FINISHED"));
            s.add(min(40), call("FINISHED"));
        }
    }

    // ---- MOS drop: 3.5, at least 10 finished calls, 15 minutes --------------------------------

    @Test
    void mosDropFiresWhenTheAverageOfFinishedCallsIsLow() throws Exception {
        Seed s = new Seed("tdr", "mos-low");
        for (int i = 0; i < 12; i++) {
            s.add(min(1 + i % 10), withMos(call("FINISHED"), i % 2 == 0 ? 2.5 : 3.5, i < 6 ? "node-a" : "node-b"));
        }
        mosNoise(s);
        s.flush();

        Run r = run("hepstack-mos-drop", s);
        r.assertFires();
        JsonNode bucket = r.payload.at("/aggregations/calls/buckets/0");
        assertThat(bucket.path("doc_count").asInt()).isEqualTo(12);
        assertThat(bucket.at("/mos/value").asDouble()).isEqualTo(3.0);
        assertThat(r.log()).contains("average MOS 3.0 over 12 finished calls").contains("node-a=3.0 (6 calls)");
    }

    @Test
    void mosDropStaysQuietAtTheThresholdAndWithTooFewCalls() throws Exception {
        Seed edge = new Seed("tdr", "mos-edge");
        for (int i = 0; i < 10; i++) {
            edge.add(min(1 + i), withMos(call("FINISHED"), 3.5, "node-a"));
        }
        mosNoise(edge);
        edge.flush();
        Run atThreshold = run("hepstack-mos-drop", edge);
        atThreshold.assertQuiet();
        assertThat(atThreshold.payload.at("/aggregations/calls/buckets/0/mos/value").asDouble()).isEqualTo(3.5);

        Seed few = new Seed("tdr", "mos-few");
        for (int i = 0; i < 9; i++) {
            few.add(min(1 + i), withMos(call("FINISHED"), 1.5, "node-a"));
        }
        few.flush();
        Run tooFew = run("hepstack-mos-drop", few);
        tooFew.assertQuiet();
        assertThat(tooFew.payload.at("/hits/total").asInt()).isEqualTo(9);
    }

    /** Low MOS a wrong query would average in: live calls, yesterday's calls; failed calls carry none. */
    private void mosNoise(Seed s) {
        for (int i = 0; i < 20; i++) {
            s.add(min(1), withMos(call("ANSWERED"), 1.0, "node-a"));
            s.add(yesterday.minusSeconds(i), withMos(call("FINISHED"), 1.0, "node-a"));
        }
        for (int i = 0; i < 5; i++) {
            s.add(min(2), call("CANCELED"));
        }
    }

    // ---- cost spike per destination: 50 in 60 minutes -----------------------------------------

    @Test
    void costSpikeFiresForTheDestinationThatReachesTheThreshold() throws Exception {
        Seed s = new Seed("tdr", "cost-high");
        s.add(min(5), rated(call("FINISHED"), "Cuba", "53", "CU", 25.0));
        s.add(min(50), rated(call("FINISHED"), "Cuba", "535", "CU", 25.0));
        s.add(min(3), rated(call("FINISHED"), "Germany", "49", "DE", 2.5));
        s.add(min(4), rated(call("FINISHED"), "Germany", "49", "DE", 2.5));
        for (int i = 0; i < 10; i++) {
            s.add(yesterday.minusSeconds(i), rated(call("FINISHED"), "Latvia", "371", "LV", 30.0));
            s.add(min(61 + i), rated(call("FINISHED"), "Latvia", "371", "LV", 30.0));
        }
        s.flush();

        Run r = run("hepstack-cost-spike", s);
        r.assertFires();
        JsonNode top = r.payload.at("/aggregations/by_destination/buckets/0");
        assertThat(top.path("key").asText()).isEqualTo("Cuba");
        assertThat(top.at("/cost/value").asDouble()).as("exactly the threshold fires (gte)").isEqualTo(50.0);
        assertThat(r.payload.at("/aggregations/by_destination/buckets").size()).as("Latvia is outside the window").isEqualTo(2);
        assertThat(r.log()).contains("Cuba=50.0 over 2 calls, prefixes 53 535").contains("Germany=5.0 over 2 calls");
    }

    @Test
    void costSpikeStaysQuietWhenOnlyTheTotalIsHigh() throws Exception {
        Seed s = new Seed("tdr", "cost-spread");
        s.add(min(5), rated(call("FINISHED"), "Cuba", "53", "CU", 20.0));
        s.add(min(6), rated(call("FINISHED"), "Cuba", "53", "CU", 20.0));
        for (int i = 0; i < 4; i++) {
            s.add(min(7 + i), rated(call("FINISHED"), "Germany", "49", "DE", 10.0));
        }
        s.add(min(8), rated(call("FINISHED"), "Latvia", "371", "LV", 49.99));
        s.add(min(70), rated(call("FINISHED"), "Latvia", "371", "LV", 30.0));
        s.flush();

        Run r = run("hepstack-cost-spike", s);
        r.assertQuiet();
        assertThat(r.payload.at("/aggregations/by_destination/buckets/0/key").asText()).isEqualTo("Latvia");
        assertThat(r.payload.at("/aggregations/by_destination/buckets/0/cost/value").asDouble()).isEqualTo(49.99);
    }

    // ---- critical fraud alerts: at least 1 in 5 minutes ----------------------------------------

    @Test
    void criticalFraudAlertsFireOnANewCriticalAlert() throws Exception {
        Seed s = new Seed("alert", "alerts-crit");
        s.add(min(2), alert("critical", "call-duration", "1001", min(2)));
        s.add(min(1), alert("warning", "calls-per-minute", "1002", min(1)));
        s.flush();

        Run r = run("hepstack-critical-fraud-alerts", s);
        r.assertFires();
        assertThat(r.payload.at("/hits/total").asInt()).isEqualTo(1);
        assertThat(r.log()).contains("1 critical alerts in the last 5m: call-duration user=1001 ip=198.51.100.7 value=10800.0 threshold=7200.0 count=3;");
    }

    @Test
    void criticalFraudAlertsFireWhileAnOlderCriticalAlertIsStillGrowing() throws Exception {
        Seed s = new Seed("alert", "alerts-ongoing");
        s.add(min(30), alert("critical", "concurrent-calls", "1003", min(1)));
        s.flush();

        Run r = run("hepstack-critical-fraud-alerts", s);
        r.assertFires(); // first seen 30 min ago, last seen 1 min ago
    }

    @Test
    void criticalFraudAlertsStayQuietForWarningsOldAlertsAndTheWatchersOwnDocuments() throws Exception {
        Seed s = new Seed("alert", "alerts-quiet");
        for (int i = 0; i < 3; i++) {
            s.add(min(1), alert("warning", "calls-per-minute", "100" + i, min(1)));
        }
        s.add(yesterday, alert("critical", "total-calls", "1004", yesterday));
        s.add(min(30), alert("critical", "total-calls", "1005", min(20)));
        ObjectNode own = alert("critical", "hepstack-critical-fraud-alerts", "1006", min(1));
        own.putObject("event").put("dataset", "hep.watcher");
        s.add(min(1), own);
        s.flush();

        Run r = run("hepstack-critical-fraud-alerts", s);
        r.assertQuiet();
        assertThat(r.payload.at("/hits/total").asInt()).isZero();
    }

    // ---- registration failures: 30 in 10 minutes ------------------------------------------------

    @Test
    void registrationFailuresFireAtTheThreshold() throws Exception {
        Seed s = new Seed("tdr", "reg-fail");
        for (int i = 0; i < 30; i++) {
            s.add(min(1 + i % 8), source(registration(i < 20 ? "USER_FAILURE" : "TIMEOUT", i < 20 ? 403 : -1), "203.0.113.9"));
        }
        for (int i = 0; i < 50; i++) {
            s.add(min(1 + i % 8), challenged(registration("SUCCESS", 200)));
        }
        s.flush();

        Run r = run("hepstack-registration-failures", s);
        r.assertFires();
        assertThat(r.payload.at("/hits/total").asInt()).isEqualTo(30);
        assertThat(r.log()).contains("30 failed registrations in the last 10m (alert at 30)")
                .contains("203.0.113.9=30").contains("USER_FAILURE=20 TIMEOUT=10");
    }

    @Test
    void registrationFailuresStayQuietBelowTheThresholdWhateverTheNoise() throws Exception {
        Seed s = new Seed("tdr", "reg-ok");
        for (int i = 0; i < 29; i++) {
            s.add(min(1 + i % 8), source(registration("USER_FAILURE", 403), "203.0.113.9"));
        }
        for (int i = 0; i < 200; i++) {
            s.add(min(1 + i % 8), challenged(registration("SUCCESS", 200)));
        }
        for (int i = 0; i < 40; i++) {
            s.add(yesterday.minusSeconds(i), registration("USER_FAILURE", 403));
            s.add(min(20), registration("USER_FAILURE", 403));
        }
        for (int i = 0; i < 10; i++) {
            s.add(min(1), call("HARD_FAILURE"));
            s.add(min(1), registration("TRYING", -1));
        }
        s.flush();

        Run r = run("hepstack-registration-failures", s);
        r.assertQuiet();
        assertThat(r.payload.at("/hits/total").asInt()).isEqualTo(29);
    }

    // ---- SIP 5xx per node: 20 in 5 minutes -----------------------------------------------------

    @Test
    void sip5xxFiresForTheNodeThatReachesTheThreshold() throws Exception {
        Seed s = new Seed("sip", "sip5xx");
        for (int i = 0; i < 20; i++) {
            s.add(min(1 + i % 4), sip(503, "INVITE", "node-a"));
        }
        for (int i = 0; i < 5; i++) {
            s.add(min(1), sip(500, "REGISTER", "node-b"));
        }
        s.flush();

        Run r = run("hepstack-sip-5xx-per-node", s);
        r.assertFires();
        assertThat(r.payload.at("/aggregations/by_node/buckets/0/key").asText()).isEqualTo("node-a");
        assertThat(r.payload.at("/aggregations/by_node/buckets/0/doc_count").asInt()).isEqualTo(20);
        assertThat(r.log()).contains("node-a=20 (codes 503:20 )").contains("node-b=5 (codes 500:5 )");
    }

    @Test
    void sip5xxStaysQuietWhenTheErrorsAreSpreadOrNot5xx() throws Exception {
        Seed s = new Seed("sip", "sip5xx-spread");
        for (int i = 0; i < 19; i++) {
            s.add(min(1 + i % 4), sip(503, "INVITE", "node-a"));
            s.add(min(1 + i % 4), sip(500, "INVITE", "node-b"));
        }
        for (int i = 0; i < 50; i++) {
            s.add(min(1), sip(486, "INVITE", "node-a"));
            s.add(min(1), sip(200, "INVITE", "node-a"));
        }
        for (int i = 0; i < 30; i++) {
            s.add(yesterday.minusSeconds(i), sip(503, "INVITE", "node-a"));
            s.add(min(10), sip(503, "INVITE", "node-a"));
        }
        s.flush();

        Run r = run("hepstack-sip-5xx-per-node", s);
        r.assertQuiet();
        assertThat(r.payload.at("/hits/total").asInt()).isEqualTo(38);
    }

    // ---- capture silence: a node seen in 60 minutes, silent for 5 -----------------------------

    @Test
    void captureSilenceFiresForANodeThatStopped() throws Exception {
        Seed s = new Seed("sip", "silence");
        s.add(min(1), sip(200, "INVITE", "node-a"));
        s.add(min(2), sip(200, "INVITE", "node-a"));
        s.add(min(30), sip(200, "INVITE", "node-b"));
        s.add(min(20), sip(200, "INVITE", "node-b"));
        s.flush();

        Run r = run("hepstack-capture-silence", s);
        r.assertFires();
        JsonNode first = r.payload.at("/aggregations/by_node/buckets/0");
        assertThat(first.path("key").asText()).as("the longest silent node comes first").isEqualTo("node-b");
        assertThat(first.at("/recent/doc_count").asInt()).isZero();
        assertThat(r.log()).contains("node-b last=").contains("recent=0;").contains("node-a last=");
    }

    @Test
    void captureSilenceStaysQuietWhenEveryRecentNodeTalks() throws Exception {
        Seed s = new Seed("sip", "silence-ok");
        s.add(min(1), sip(200, "INVITE", "node-a"));
        s.add(min(3), sip(180, "INVITE", "node-b"));
        s.add(min(120), sip(200, "INVITE", "node-c"));
        s.add(yesterday, sip(200, "INVITE", "node-c"));
        s.flush();

        Run r = run("hepstack-capture-silence", s);
        r.assertQuiet();
        assertThat(r.payload.at("/aggregations/by_node/buckets").size()).as("node-c is older than the lookback").isEqualTo(2);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private record Run(Watch watch, JsonNode payload, WatchCondition.Result result) {
        void assertFires() {
            assertThat(result.met()).as("%s should fire; resolved %s; payload %s", watch.id(), result.resolved(), payload).isTrue();
        }

        void assertQuiet() {
            assertThat(result.met()).as("%s should stay quiet; resolved %s; payload %s", watch.id(), result.resolved(), payload).isFalse();
        }

        /** The logging action's text, rendered strictly against the real payload. */
        String log() {
            return MiniMustache.render(watch.body().at("/actions/log/logging/text").asText(),
                    WatchCondition.model(watch.id(), watch.metadata(), payload));
        }

        String webhookBody() {
            return MiniMustache.render(watch.body().at("/actions/notify_webhook/webhook/body").asText(),
                    WatchCondition.model(watch.id(), watch.metadata(), payload));
        }
    }

    private static Run run(String watchId, Seed seed) throws Exception {
        Watch w = watches.get(watchId);
        assertThat(w).as(watchId).isNotNull();
        JsonNode payload = search.run(w, seed.indices());
        assertThat(payload.path("_shards").path("failed").asInt()).as("shard failures: " + payload).isZero();
        assertThat(payload.path("_shards").path("total").asInt()).as("the seeded indices were searched").isPositive();
        WatchCondition.Result result = WatchCondition.evaluate(w.condition(), WatchCondition.model(w.id(), w.metadata(), payload));
        Run run = new Run(w, payload, result);
        if (result.met()) {
            JsonNode webhook = MAPPER.readTree(run.webhookBody());
            assertThat(webhook.path("watch_id").asText()).isEqualTo(watchId);
            assertThat(webhook.path("metadata").path("name").asText()).isEqualTo(w.metadata().path("name").asText());
            assertThat(webhook.path("hits").asInt()).isEqualTo(payload.at("/hits/total").asInt());
        }
        return run;
    }

    private Instant min(int minutesAgo) {
        return now.minus(Duration.ofMinutes(minutesAgo));
    }

    /** Documents of one scenario, each in the index of its own UTC day. */
    private static final class Seed {
        private final String family;
        private final String scenario;
        private final StringBuilder bulk = new StringBuilder();
        private final Set<String> indices = new TreeSet<>();
        private int count;

        Seed(String family, String scenario) {
            this.family = family;
            this.scenario = scenario;
        }

        /** Exactly this scenario's indices (a wildcard would also match a longer scenario name). */
        List<String> indices() {
            return List.copyOf(indices);
        }

        void add(Instant at, ObjectNode doc) {
            doc.put("@timestamp", at.toString());
            String index = "hep-" + family + "-wt-" + scenario + "-" + DAY.format(at);
            seeded.add(index);
            indices.add(index);
            bulk.append("{\"index\":{\"_index\":\"").append(index).append("\"}}\n").append(doc).append('\n');
            count++;
        }

        void flush() throws Exception {
            Request r = new Request("POST", "/_bulk");
            r.addParameter("refresh", "true");
            r.setEntity(new NStringEntity(bulk.toString(), ContentType.create("application/x-ndjson")));
            JsonNode response = MAPPER.readTree(EntityUtils.toString(rest.performRequest(r).getEntity()));
            assertThat(response.path("errors").asBoolean()).as("bulk errors: " + response).isFalse();
            assertThat(response.path("items").size()).isEqualTo(count);
        }
    }

    private static boolean ended(String status) {
        return !Set.of("INIT", "TRYING", "RINGING", "ANSWERED").contains(status);
    }

    private static ObjectNode call(String status) {
        ObjectNode d = MAPPER.createObjectNode();
        d.putObject("tdr").put("type", "call").put("status", status).put("final", ended(status));
        d.putObject("hep").put("node", "node-a");
        return d;
    }

    private static ObjectNode registration(String status, int code) {
        ObjectNode d = MAPPER.createObjectNode();
        ObjectNode tdr = d.putObject("tdr").put("type", "registration").put("status", status).put("final", ended(status));
        if (code > 0) {
            tdr.put("final_code", code);
        }
        tdr.putObject("caller").put("user", "2" + (code > 0 ? code : 0));
        return d;
    }

    private static ObjectNode challenged(ObjectNode registration) {
        ((ObjectNode) registration.path("tdr")).putObject("registration").put("auth_challenges", 1);
        return registration;
    }

    private static ObjectNode source(ObjectNode d, String ip) {
        d.putObject("source").put("ip", ip);
        return d;
    }

    private static ObjectNode withMos(ObjectNode call, double mos, String node) {
        call.putObject("qos").put("mos", mos).putObject("a_leg").put("mos", mos).put("loss_pct", 1.0).put("jitter_ms", 4.0);
        ((ObjectNode) call.path("hep")).put("node", node);
        return call;
    }

    private static ObjectNode rated(ObjectNode call, String destination, String prefix, String region, double cost) {
        call.putObject("rating").put("cost", cost).put("destination", destination).put("prefix", prefix).put("currency", "EUR")
                .put("billed_s", 60);
        ((ObjectNode) call.path("tdr")).putObject("callee").putObject("number").put("region_code", region);
        return call;
    }

    private static ObjectNode alert(String severity, String rule, String user, Instant lastSeen) {
        ObjectNode d = MAPPER.createObjectNode();
        d.putObject("event").put("kind", "alert").put("dataset", "hep.alert");
        d.putObject("alert").put("rule", rule).put("severity", severity).put("parameter", rule).put("user", user)
                .put("source_ip", "198.51.100.7").put("count", 3).put("value", 10800.0).put("threshold", 7200.0)
                .put("called_number", "+5355512345").put("last_seen", lastSeen.toString());
        return d;
    }

    private static ObjectNode sip(int code, String cseqMethod, String node) {
        ObjectNode d = MAPPER.createObjectNode();
        d.putObject("sip").put("code", code).put("type", "response").putObject("cseq").put("method", cseqMethod);
        d.putObject("hep").put("node", node);
        return d;
    }
}
