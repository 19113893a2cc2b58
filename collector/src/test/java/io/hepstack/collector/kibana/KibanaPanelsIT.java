package io.hepstack.collector.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.es.ElasticsearchClients;
import io.hepstack.collector.document.IndexNames;
import io.hepstack.collector.index.TemplateInstaller;
import io.hepstack.collector.testing.EsHttp;
import io.hepstack.collector.testing.TestElasticsearch;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Every panel of every dashboard, run against a real Elasticsearch holding generated hepstack
 * documents whose answers are known by construction (the tables below), must show exactly those
 * answers. Each panel's query is built from its saved definition in kibana/hepstack.ndjson by
 * {@link PanelQueries}; nothing here restates a panel's query. The documents go into the daily
 * indices of 2001-01-01 and 2001-01-02 (nothing else uses those days) through the real index
 * templates, and are deleted afterwards.
 */
class KibanaPanelsIT {

    private static final PanelQueries.TimeRange RANGE = new PanelQueries.TimeRange(
            Instant.parse("2001-01-01T00:00:00Z"), Instant.parse("2001-01-03T00:00:00Z"));
    private static final String DAY1 = "2001-01-01T";
    private static final String DAY2 = "2001-01-02T";
    private static final double EPS = 1e-6;
    /** qos.* are float fields: their aggregates carry float rounding. */
    private static final double FLOAT_EPS = 1e-4;

    private static EsHttp es;
    private static SavedObjects objects;
    private static FieldCatalog catalog;
    private static final Set<String> indices = new LinkedHashSet<>();

    @BeforeAll
    static void seed() throws Exception {
        es = EsHttp.shared();
        objects = SavedObjects.load();
        catalog = FieldCatalog.load();
        try (RestClient rest = ElasticsearchClients.restClient(new ElasticsearchClients.Connection(
                List.of(TestElasticsearch.url()), null, null, null, null))) {
            new TemplateInstaller(rest, new ObjectMapper(), new TemplateInstaller.IndexSettings(1, 0, "1s")).install();
        }
        for (String family : List.of("sip", "rtcp", "log", "tdr", "alert")) {
            for (String day : List.of("2001.01.01", "2001.01.02")) {
                indices.add("hep-" + family + "-" + day);
            }
        }
        deleteIndices();
        List<Doc> docs = new ArrayList<>();
        docs.addAll(calls());
        docs.addAll(rtcpReports());
        docs.addAll(sipMessages());
        docs.addAll(alerts());
        docs.add(new Doc("log", DAY1 + "10:00:00.200Z").put("log.level", "info").put("message", "INVITE relayed")
                .put("call.id", "a-0").put("hep.node", "sbc-1"));
        docs.add(new Doc("log", DAY1 + "10:00:00.600Z").put("log.level", "info").put("message", "200 OK relayed")
                .put("call.id", "a-0").put("hep.node", "sbc-1"));
        index(docs);
    }

    @AfterAll
    static void cleanUp() {
        if (es != null) {
            deleteIndices();
        }
    }

    // ================================================================================= the data

    /**
     * The call TDRs. 12 call attempts with a final outcome (5 answered and finished, 1 answered and
     * still up, 3 busy, 1 declined, 1 canceled, 1 hard failure), 1 call still ringing, 2 registrations.
     */
    private static List<Doc> calls() {
        List<Doc> d = new ArrayList<>();
        //        id     time            status           code  setup   dur  node     caller  callee            region  cost      destination      mos
        d.add(call("c1", DAY1 + "10:05", "FINISHED", 200, 1000, 60, "sbc-1", "1001", "+4930111", "DE", 0.1250, "Germany Fixed", 4.40));
        d.add(call("c2", DAY1 + "10:40", "FINISHED", 200, 1500, 120, "sbc-1", "1001", "+4930111", "DE", 0.2500, "Germany Fixed", 4.10));
        d.add(call("c3", DAY1 + "11:10", "FINISHED", 200, 2000, 30, "sbc-2", "1002", "+447700900123", "GB", 0.0875, "UK Mobile", 3.50));
        d.add(call("c4", DAY1 + "13:00", "FINISHED", 200, 2500, 300, "sbc-2", "1003", "+5372222", "CU", 3.0000, "Cuba", 2.90));
        d.add(call("c5", DAY1 + "14:00", "FINISHED", 200, 3000, 200, "sbc-1", "1003", "+5372222", "CU", 2.0000, "Cuba", 4.35));
        d.add(call("c6", DAY2 + "09:00", "ANSWERED", 200, 1200, null, "sbc-1", "1004", "+88213000123", "001", null, null, null));
        d.add(call("c7", DAY1 + "10:20", "USER_BUSY", 486, 800, null, "sbc-1", "1001", "+4930111", "DE", null, null, null));
        d.add(call("c8", DAY1 + "11:20", "USER_BUSY", 486, 900, null, "sbc-2", "1002", "+4930222", "DE", null, null, null));
        d.add(call("c9", DAY1 + "11:30", "USER_BUSY", 486, 700, null, "sbc-2", "1003", "+447700900123", "GB", null, null, null));
        d.add(call("c10", DAY1 + "15:00", "DECLINE", 603, 1100, null, "sbc-1", "1001", "+33142685300", "FR", null, null, null));
        d.add(call("c11", DAY2 + "09:30", "CANCELED", 487, 1300, null, "sbc-2", "1003", "+5372222", "CU", null, null, null));
        d.add(call("c12", DAY2 + "10:00", "HARD_FAILURE", 503, null, null, "sbc-1", "1001", "+12125550100", "US", null, null, null));
        d.add(call("r13", DAY2 + "10:30", "RINGING", null, 600, null, "sbc-2", "1002", "+4930111", "DE", null, null, null));
        d.add(new Doc("tdr", DAY1 + "11:30:00Z").put("tdr.type", "registration").put("tdr.status", "FINISHED")
                .put("tdr.final", true).put("tdr.final_code", 200).put("tdr.caller.user", "1002")
                .put("tdr.caller.domain", "b.example").put("hep.node", "sbc-2").put("hep.group", "us"));
        d.add(new Doc("tdr", DAY1 + "12:00:00Z").put("tdr.type", "registration").put("tdr.status", "USER_FAILURE")
                .put("tdr.final", true).put("tdr.final_code", 404).put("tdr.caller.user", "100")
                .put("tdr.caller.domain", "a.example").put("hep.node", "sbc-1").put("hep.group", "eu"));
        return d;
    }

    private static Doc call(String id, String minute, String status, Integer code, Integer setupMs, Integer durationS,
                            String node, String caller, String callee, String region, Double cost, String destination,
                            Double mos) {
        boolean eu = node.equals("sbc-1");
        Doc d = new Doc("tdr", minute + ":00Z")
                // as the collector writes it: an answered call still up is not final yet (nor a ringing one)
                .put("tdr.type", "call").put("tdr.call_id", id).put("tdr.status", status)
                .put("tdr.final", !status.equals("ANSWERED") && !status.equals("RINGING"))
                .put("tdr.final_code", code).put("tdr.setup_ms", setupMs).put("tdr.duration_s", durationS)
                .put("hep.node", node).put("hep.group", eu ? "eu" : "us")
                .put("tdr.caller.user", caller).put("tdr.caller.domain", eu ? "a.example" : "b.example")
                .put("tdr.callee.user", callee).put("tdr.callee.domain", eu ? "a.example" : "b.example")
                .put("tdr.callee.number.e164", callee).put("tdr.callee.number.region_code", region);
        if (cost != null) {
            d.put("rating.cost", cost).put("rating.currency", "EUR").put("rating.destination", destination);
        }
        if (mos != null) {
            // qos.mos is the worse leg; the other leg is a little better
            d.put("qos.mos", mos).put("qos.a_leg.mos", mos).put("qos.b_leg.mos", Math.min(4.5, mos + 0.1))
                    .put("qos.a_leg.jitter_ms", 10.0).put("qos.a_leg.loss_pct", 0.5);
        }
        return d;
    }

    /** RTCP reports: jitter and loss per hour are known; one report carries neither (an XR MOS only). */
    private static List<Doc> rtcpReports() {
        List<Doc> d = new ArrayList<>();
        d.add(rtcp(DAY1 + "10:10:00Z", "sbc-1", 5.0, 0.5));
        d.add(rtcp(DAY1 + "10:45:00Z", "sbc-1", 15.0, 1.5));
        d.add(rtcp(DAY1 + "11:15:00Z", "sbc-2", 30.0, 2.0));
        d.add(rtcp(DAY1 + "13:05:00Z", "sbc-2", 60.0, 8.0));
        d.add(rtcp(DAY1 + "13:10:00Z", "sbc-2", 40.0, 6.0));
        d.add(rtcp(DAY1 + "14:05:00Z", "sbc-1", 8.0, 0.25));
        d.add(new Doc("rtcp", DAY1 + "14:06:00Z").put("hep.node", "sbc-1").put("hep.group", "eu").put("qos.mos", 4.2));
        return d;
    }

    private static Doc rtcp(String time, String node, double jitter, double loss) {
        return new Doc("rtcp", time).put("hep.node", node).put("hep.group", node.equals("sbc-1") ? "eu" : "us")
                .put("rtcp.type", "sr").put("qos.jitter_ms", jitter).put("qos.loss_pct", loss);
    }

    /**
     * 36 SIP messages in five flows:
     * A 4 INVITEs 198.51.100.10 to 203.0.113.5 (Berlin), each answered 100 and 200;
     * B 3 INVITEs 198.51.100.20 to 192.0.2.50 (New York), each answered 486;
     * C 2 REGISTERs 198.51.100.20 to 203.0.113.5, answered 401 then 200;
     * D 6 REGISTERs of friendly-scanner 198.51.100.30 (blacklisted), users 100 x3 and 101 x2 answered 404, 102 answered 401;
     * E 1 OPTIONS of sipcli 198.51.100.31 (on two blacklists), answered 200.
     */
    private static List<Doc> sipMessages() {
        List<Doc> d = new ArrayList<>();
        double[] berlin = {52.52, 13.405};
        double[] newYork = {40.7128, -74.006};
        double[] paris = {48.8566, 2.3522};
        for (int i = 0; i < 4; i++) {
            String t = DAY1 + "10:00:0" + i;
            d.add(sip(t + ".000Z", "INVITE", null, "198.51.100.10", "203.0.113.5", berlin, "Zoiper rv2.10", "+4930111", "a.example", "sbc-1"));
            d.add(sip(t + ".100Z", "INVITE", 100, "203.0.113.5", "198.51.100.10", paris, "Kamailio 5.8", "+4930111", "a.example", "sbc-1"));
            d.add(sip(t + ".500Z", "INVITE", 200, "203.0.113.5", "198.51.100.10", paris, "Kamailio 5.8", "+4930111", "a.example", "sbc-1"));
        }
        for (int i = 0; i < 3; i++) {
            String t = DAY1 + "11:00:0" + i;
            d.add(sip(t + ".000Z", "INVITE", null, "198.51.100.20", "192.0.2.50", newYork, "Yealink SIP-T46S", "+12125550100", "b.example", "sbc-2"));
            d.add(sip(t + ".300Z", "INVITE", 486, "192.0.2.50", "198.51.100.20", paris, "Kamailio 5.8", "+12125550100", "b.example", "sbc-2"));
        }
        int[] registerAnswers = {401, 200};
        for (int i = 0; i < 2; i++) {
            String t = DAY1 + "11:30:0" + i;
            d.add(sip(t + ".000Z", "REGISTER", null, "198.51.100.20", "203.0.113.5", berlin, "Yealink SIP-T46S", "1002", "b.example", "sbc-2"));
            d.add(sip(t + ".100Z", "REGISTER", registerAnswers[i], "203.0.113.5", "198.51.100.20", paris, "Kamailio 5.8", "1002", "b.example", "sbc-2"));
        }
        String[] users = {"100", "100", "100", "101", "101", "102"};
        int[] scanAnswers = {404, 404, 404, 404, 404, 401};
        for (int i = 0; i < 6; i++) {
            String t = DAY1 + "12:00:0" + i;
            d.add(sip(t + ".000Z", "REGISTER", null, "198.51.100.30", "203.0.113.5", berlin, "friendly-scanner", users[i], "a.example", "sbc-1")
                    .put("source.blacklist.hit", true).put("source.blacklist.lists", List.of("voipbl")));
            d.add(sip(t + ".050Z", "REGISTER", scanAnswers[i], "203.0.113.5", "198.51.100.30", paris, "Kamailio 5.8", users[i], "a.example", "sbc-1"));
        }
        d.add(sip(DAY1 + "12:10:00.000Z", "OPTIONS", null, "198.51.100.31", "203.0.113.5", berlin, "sipcli/v1.8", "100", "a.example", "sbc-1")
                .put("source.blacklist.hit", true).put("source.blacklist.lists", List.of("voipbl", "abuseipdb")));
        d.add(sip(DAY1 + "12:10:00.500Z", "OPTIONS", 200, "203.0.113.5", "198.51.100.31", paris, "Kamailio 5.8", "100", "a.example", "sbc-1"));
        return d;
    }

    private static Doc sip(String time, String method, Integer code, String src, String dst, double[] dstGeo, String agent,
                           String toUser, String toHost, String node) {
        Doc d = new Doc("sip", time).put("sip.type", code == null ? "request" : "response")
                .put("sip.cseq.method", method).put("sip.user_agent.original", agent)
                .put("sip.to.uri.username", toUser).put("sip.to.uri.host", toHost)
                .put("source.ip", src).put("destination.ip", dst)
                .put("destination.geo.location", Map.of("lat", dstGeo[0], "lon", dstGeo[1]))
                .put("destination.geo.country_iso_code", dstGeo[0] == 52.52 ? "DE" : dstGeo[0] == 40.7128 ? "US" : "FR")
                .put("hep.node", node).put("hep.group", node.equals("sbc-1") ? "eu" : "us");
        if (code == null) {
            d.put("sip.method", method);
        } else {
            d.put("sip.code", code);
        }
        return d;
    }

    /** 10 alerts: scanner 4, register-flood 3, high-risk-destination 2, high-cost 1. */
    private static List<Doc> alerts() {
        List<Doc> d = new ArrayList<>();
        d.add(alert(DAY1 + "12:01:00Z", "register-flood", "high", "100", "198.51.100.30"));
        d.add(alert(DAY1 + "12:02:00Z", "register-flood", "high", "100", "198.51.100.30"));
        d.add(alert(DAY1 + "12:03:00Z", "register-flood", "high", "101", "198.51.100.30"));
        d.add(alert(DAY1 + "12:05:00Z", "scanner", "medium", null, "198.51.100.30"));
        d.add(alert(DAY1 + "12:11:00Z", "scanner", "medium", null, "198.51.100.31"));
        d.add(alert(DAY1 + "13:00:00Z", "high-cost", "critical", "1003", "198.51.100.40"));
        d.add(alert(DAY1 + "13:30:00Z", "high-risk-destination", "high", "1003", "198.51.100.40"));
        d.add(alert(DAY2 + "09:31:00Z", "high-risk-destination", "high", "1003", "198.51.100.40"));
        d.add(alert(DAY2 + "12:00:00Z", "scanner", "medium", null, "198.51.100.30"));
        d.add(alert(DAY2 + "12:30:00Z", "scanner", "medium", null, "198.51.100.30"));
        return d;
    }

    private static Doc alert(String time, String rule, String severity, String user, String ip) {
        return new Doc("alert", time).put("alert.rule", rule).put("alert.severity", severity).put("alert.user", user)
                .put("alert.source_ip", ip).put("alert.message", rule + " " + (user == null ? ip : user));
    }

    // ================================================================================= the answers

    /** What each panel must show, by saved-object id. Every dashboard panel needs an entry. */
    private static Map<String, Consumer<List<Map<String, Object>>>> expectations() {
        Map<String, Consumer<List<Map<String, Object>>>> e = new LinkedHashMap<>();
        // -- calls overview: 13 call TDRs, 12 attempts with an outcome
        e.put("hepstack-lens-cdr-count", rows -> assertThat(single(rows, "m")).isEqualTo(13.0));
        e.put("hepstack-lens-cost-total", rows -> assertThat(single(rows, "m")).isCloseTo(5.4625, within(EPS)));
        e.put("hepstack-lens-cost-max", rows -> assertThat(single(rows, "m")).isCloseTo(3.0, within(EPS)));
        e.put("hepstack-lens-cost-avg", rows -> assertThat(single(rows, "m")).isCloseTo(5.4625 / 5, within(EPS)));
        e.put("hepstack-lens-asr", rows -> assertThat(single(rows, "m")).isCloseTo(6.0 / 12, within(EPS)));
        e.put("hepstack-lens-ner", rows -> assertThat(single(rows, "m")).isCloseTo(11.0 / 12, within(EPS)));
        e.put("hepstack-lens-pdd-avg", rows -> assertThat(single(rows, "m")).isCloseTo(16000.0 / 11, within(EPS)));
        e.put("hepstack-lens-status-breakdown", rows -> {
            assertThat(byKey(rows, "g", "v")).isEqualTo(Map.of("FINISHED", 5.0, "USER_BUSY", 3.0, "ANSWERED", 1.0,
                    "DECLINE", 1.0, "CANCELED", 1.0, "HARD_FAILURE", 1.0, "RINGING", 1.0));
            assertThat(keys(rows, "g").subList(0, 2)).containsExactly("FINISHED", "USER_BUSY");
        });
        e.put("hepstack-lens-status-over-time", rows -> assertThat(points(rows, "s", "x", "v")).isEqualTo(Map.ofEntries(
                Map.entry("FINISHED@2001-01-01T10:00:00Z", 2.0), Map.entry("FINISHED@2001-01-01T11:00:00Z", 1.0),
                Map.entry("FINISHED@2001-01-01T13:00:00Z", 1.0), Map.entry("FINISHED@2001-01-01T14:00:00Z", 1.0),
                Map.entry("USER_BUSY@2001-01-01T10:00:00Z", 1.0), Map.entry("USER_BUSY@2001-01-01T11:00:00Z", 2.0),
                Map.entry("DECLINE@2001-01-01T15:00:00Z", 1.0), Map.entry("ANSWERED@2001-01-02T09:00:00Z", 1.0),
                Map.entry("CANCELED@2001-01-02T09:00:00Z", 1.0), Map.entry("HARD_FAILURE@2001-01-02T10:00:00Z", 1.0),
                Map.entry("RINGING@2001-01-02T10:00:00Z", 1.0))));
        e.put("hepstack-search-tdr-list", rows -> {
            assertThat(rows).hasSize(13);
            assertThat(column(rows, "tdr.call_id").subList(0, 4)).containsExactly("r13", "c12", "c11", "c6");
        });
        // -- MOS time-machine: 5 calls with a MOS
        e.put("hepstack-lens-mos-avg", rows -> assertThat(single(rows, "m")).isCloseTo(19.25 / 5, within(FLOAT_EPS)));
        e.put("hepstack-lens-mos-worst", rows -> assertThat(single(rows, "m")).isCloseTo(2.90, within(FLOAT_EPS)));
        e.put("hepstack-lens-duration-avg", rows -> assertThat(single(rows, "m")).isCloseTo(142.0, within(EPS)));
        e.put("hepstack-lens-mos-by-group", rows -> assertPoints(points(rows, "s", "x", "v"), Map.of(
                "eu@2001-01-01T10:00:00Z", (4.40 + 4.10) / 2, "eu@2001-01-01T14:00:00Z", 4.35,
                "us@2001-01-01T11:00:00Z", 3.50, "us@2001-01-01T13:00:00Z", 2.90)));
        e.put("hepstack-lens-mos-worst-by-node", rows -> assertPoints(points(rows, "s", "x", "v"), Map.of(
                "sbc-1@2001-01-01T10:00:00Z", 4.10, "sbc-1@2001-01-01T14:00:00Z", 4.35,
                "sbc-2@2001-01-01T11:00:00Z", 3.50, "sbc-2@2001-01-01T13:00:00Z", 2.90)));
        e.put("hepstack-lens-mos-distribution", rows -> {
            assertThat(keys(rows, "b")).containsExactly("Bad (< 3.1)", "Poor (3.1 - 3.6)", "Fair (3.6 - 4.0)",
                    "Good (4.0 - 4.3)", "Excellent (>= 4.3)");
            assertThat(column(rows, "v")).containsExactly(1.0, 1.0, null, 1.0, 2.0);
        });
        e.put("hepstack-lens-jitter-over-time", rows -> {
            assertPoints(points(rows, null, "x", "avg"), Map.of("2001-01-01T10:00:00Z", 10.0, "2001-01-01T11:00:00Z", 30.0,
                    "2001-01-01T13:00:00Z", 50.0, "2001-01-01T14:00:00Z", 8.0));
            assertPoints(points(rows, null, "x", "max"), Map.of("2001-01-01T10:00:00Z", 15.0, "2001-01-01T11:00:00Z", 30.0,
                    "2001-01-01T13:00:00Z", 60.0, "2001-01-01T14:00:00Z", 8.0));
        });
        e.put("hepstack-lens-loss-over-time", rows -> {
            assertPoints(points(rows, null, "x", "avg"), Map.of("2001-01-01T10:00:00Z", 1.0, "2001-01-01T11:00:00Z", 2.0,
                    "2001-01-01T13:00:00Z", 7.0, "2001-01-01T14:00:00Z", 0.25));
            assertPoints(points(rows, null, "x", "max"), Map.of("2001-01-01T10:00:00Z", 1.5, "2001-01-01T11:00:00Z", 2.0,
                    "2001-01-01T13:00:00Z", 8.0, "2001-01-01T14:00:00Z", 0.25));
        });
        e.put("hepstack-search-worst-calls", rows -> {
            assertThat(column(rows, "tdr.call_id")).containsExactly("c4", "c3", "c2", "c5", "c1");
            assertThat((Double) rows.get(0).get("qos.mos")).isCloseTo(2.90, within(FLOAT_EPS));
        });
        // -- network top
        e.put("hepstack-map-invite-destinations", rows -> {
            assertThat(rows).hasSize(2);
            Map<String, Double> cells = new HashMap<>();
            for (Map<String, Object> r : rows) {
                String city = Math.abs((Double) r.get("lat") - 52.52) < 1e-3 && Math.abs((Double) r.get("lon") - 13.405) < 1e-3 ? "Berlin"
                        : Math.abs((Double) r.get("lat") - 40.7128) < 1e-3 && Math.abs((Double) r.get("lon") + 74.006) < 1e-3 ? "New York" : "?";
                cells.put(city, (Double) r.get("count"));
            }
            assertThat(cells).isEqualTo(Map.of("Berlin", 4.0, "New York", 3.0));
        });
        e.put("hepstack-lens-top-destination-countries-ip", rows -> ordered(rows, "t", "v", "DE", 4.0, "US", 3.0));
        e.put("hepstack-lens-top-destination-countries-number", rows -> {
            assertThat(byKey(rows, "t", "v")).isEqualTo(Map.of("DE", 5.0, "CU", 3.0, "GB", 2.0, "001", 1.0, "FR", 1.0, "US", 1.0));
            assertThat(keys(rows, "t").subList(0, 3)).containsExactly("DE", "CU", "GB");
        });
        e.put("hepstack-lens-top-source-ips", rows -> ordered(rows, "t", "v", "203.0.113.5", 17.0, "198.51.100.30", 6.0,
                "198.51.100.20", 5.0, "198.51.100.10", 4.0, "192.0.2.50", 3.0, "198.51.100.31", 1.0));
        e.put("hepstack-lens-top-destination-ips", rows -> ordered(rows, "t", "v", "203.0.113.5", 13.0, "198.51.100.10", 8.0,
                "198.51.100.30", 6.0, "198.51.100.20", 5.0, "192.0.2.50", 3.0, "198.51.100.31", 1.0));
        e.put("hepstack-lens-top-callers", rows -> ordered(rows, "t", "v", "1001", 5.0, "1003", 4.0, "1002", 3.0, "1004", 1.0));
        e.put("hepstack-lens-top-callees", rows -> {
            assertThat(byKey(rows, "t", "v")).isEqualTo(Map.of("+4930111", 4.0, "+5372222", 3.0, "+447700900123", 2.0,
                    "+4930222", 1.0, "+88213000123", 1.0, "+33142685300", 1.0, "+12125550100", 1.0));
            assertThat(keys(rows, "t").subList(0, 3)).containsExactly("+4930111", "+5372222", "+447700900123");
        });
        e.put("hepstack-lens-top-user-agents", rows -> ordered(rows, "t", "v", "Kamailio 5.8", 20.0, "friendly-scanner", 6.0,
                "Yealink SIP-T46S", 5.0, "Zoiper rv2.10", 4.0, "sipcli/v1.8", 1.0));
        e.put("hepstack-lens-distinct-callers", rows -> assertThat(single(rows, "m")).isEqualTo(4.0));
        // -- fraud cost
        e.put("hepstack-lens-high-risk-calls", rows -> assertThat(single(rows, "m")).isEqualTo(4.0));
        e.put("hepstack-lens-cost-by-destination", rows -> {
            assertPoints(points(rows, "s", "x", "v"), Map.of("Cuba@2001-01-01T13:00:00Z", 3.0, "Cuba@2001-01-01T14:00:00Z", 2.0,
                    "Germany Fixed@2001-01-01T10:00:00Z", 0.375, "UK Mobile@2001-01-01T11:00:00Z", 0.0875));
            assertThat(new ArrayList<>(new LinkedHashSet<>(keys(rows, "s")))).containsExactly("Cuba", "Germany Fixed", "UK Mobile");
        });
        e.put("hepstack-lens-top-callers-by-cost", rows -> table(rows, "t", List.of("cost", "calls", "air"), List.of(
                List.of("1003", 5.0, 2.0, 500.0), List.of("1001", 0.375, 2.0, 180.0), List.of("1002", 0.0875, 1.0, 30.0))));
        e.put("hepstack-lens-top-destinations-by-cost", rows -> table(rows, "t", List.of("cost", "calls", "air"), List.of(
                List.of("Cuba", 5.0, 2.0, 500.0), List.of("Germany Fixed", 0.375, 2.0, 180.0), List.of("UK Mobile", 0.0875, 1.0, 30.0))));
        e.put("hepstack-lens-high-risk-destinations", rows -> {
            table(rows.subList(0, 1), "t", List.of("calls", "cost", "air"), List.of(List.of("CU", 3.0, 5.0, 500.0)));
            // the call to +882 is answered and still up: no cost and no airtime yet, shown as empty cells
            assertThat(rows.get(1)).containsEntry("t", "001").containsEntry("calls", 1.0)
                    .containsEntry("cost", null).containsEntry("air", null);
            assertThat(rows).hasSize(2);
        });
        // -- alerts and security
        e.put("hepstack-lens-alerts-by-rule", rows -> {
            assertThat(points(rows, "s", "x", "v")).isEqualTo(Map.of("register-flood@2001-01-01T12:00:00Z", 3.0,
                    "scanner@2001-01-01T12:00:00Z", 2.0, "scanner@2001-01-02T12:00:00Z", 2.0,
                    "high-cost@2001-01-01T13:00:00Z", 1.0, "high-risk-destination@2001-01-01T13:00:00Z", 1.0,
                    "high-risk-destination@2001-01-02T09:00:00Z", 1.0));
            assertThat(new ArrayList<>(new LinkedHashSet<>(keys(rows, "s"))))
                    .containsExactly("scanner", "register-flood", "high-risk-destination", "high-cost");
        });
        e.put("hepstack-lens-alerts-by-severity", rows -> assertThat(points(rows, "s", "x", "v")).isEqualTo(Map.of(
                "high@2001-01-01T12:00:00Z", 3.0, "high@2001-01-01T13:00:00Z", 1.0, "high@2001-01-02T09:00:00Z", 1.0,
                "medium@2001-01-01T12:00:00Z", 2.0, "medium@2001-01-02T12:00:00Z", 2.0, "critical@2001-01-01T13:00:00Z", 1.0)));
        e.put("hepstack-lens-top-alerted-users", rows -> ordered(rows, "t", "v", "1003", 3.0, "100", 2.0, "101", 1.0));
        e.put("hepstack-lens-top-alerted-ips", rows -> ordered(rows, "t", "v", "198.51.100.30", 6.0, "198.51.100.40", 3.0,
                "198.51.100.31", 1.0));
        e.put("hepstack-lens-blacklist-hits", rows -> assertThat(points(rows, "l", "t", "v")).isEqualTo(Map.of(
                "voipbl@198.51.100.30", 6.0, "voipbl@198.51.100.31", 1.0, "abuseipdb@198.51.100.31", 1.0)));
        e.put("hepstack-lens-scanner-traffic", rows -> assertThat(points(rows, null, "x", "v"))
                .isEqualTo(Map.of("2001-01-01T12:00:00Z", 7.0)));
        e.put("hepstack-lens-scanner-sources", rows -> ordered(rows, "t", "v", "198.51.100.30", 6.0, "198.51.100.31", 1.0));
        e.put("hepstack-search-alerts", rows -> {
            assertThat(rows).hasSize(10);
            assertThat(rows.get(0)).containsEntry("alert.rule", "scanner").containsEntry("@timestamp", DAY2 + "12:30:00Z");
        });
        // -- SIP health
        e.put("hepstack-lens-sip-methods", rows -> {
            assertThat(points(rows, "s", "x", "v")).isEqualTo(Map.of("INVITE@2001-01-01T10:00:00Z", 4.0,
                    "INVITE@2001-01-01T11:00:00Z", 3.0, "REGISTER@2001-01-01T11:00:00Z", 2.0,
                    "REGISTER@2001-01-01T12:00:00Z", 6.0, "OPTIONS@2001-01-01T12:00:00Z", 1.0));
            assertThat(new ArrayList<>(new LinkedHashSet<>(keys(rows, "s")))).containsExactly("REGISTER", "INVITE", "OPTIONS");
        });
        e.put("hepstack-lens-sip-codes", rows -> {
            assertThat(points(rows, "s", "x", "v")).isEqualTo(Map.of("100@2001-01-01T10:00:00Z", 4.0,
                    "200@2001-01-01T10:00:00Z", 4.0, "200@2001-01-01T11:00:00Z", 1.0, "200@2001-01-01T12:00:00Z", 1.0,
                    "486@2001-01-01T11:00:00Z", 3.0, "401@2001-01-01T11:00:00Z", 1.0, "401@2001-01-01T12:00:00Z", 1.0,
                    "404@2001-01-01T12:00:00Z", 5.0));
            assertThat(new ArrayList<>(new LinkedHashSet<>(keys(rows, "s")))).containsExactly("200", "404", "100", "486", "401");
        });
        e.put("hepstack-lens-sip-response-classes", rows -> {
            assertThat(keys(rows, "g")).containsExactly("1xx", "2xx", "3xx", "4xx", "5xx", "6xx");
            assertThat(column(rows, "v")).containsExactly(4.0, 6.0, null, 10.0, null, null);
        });
        e.put("hepstack-lens-registrations-over-time", rows -> assertThat(points(rows, "s", "x", "v")).isEqualTo(Map.of(
                "Registered@2001-01-01T11:00:00Z", 1.0, "Challenged@2001-01-01T11:00:00Z", 1.0,
                "Challenged@2001-01-01T12:00:00Z", 1.0, "Failed@2001-01-01T12:00:00Z", 5.0)));
        e.put("hepstack-lens-alerts-total", rows -> assertThat(single(rows, "m")).isEqualTo(10.0));
        e.put("hepstack-lens-registrations-ok", rows -> assertThat(single(rows, "m")).isEqualTo(1.0));
        e.put("hepstack-lens-registrations-failed", rows -> assertThat(single(rows, "m")).isEqualTo(5.0));
        e.put("hepstack-lens-registration-failures-by-user", rows -> ordered(rows, "t", "v", "100", 3.0, "101", 2.0));
        e.put("hepstack-search-sip-messages", rows -> {
            assertThat(rows).hasSize(36);
            assertThat(rows.get(0)).containsEntry("sip.code", 200.0).containsEntry("destination.ip", "198.51.100.31");
        });
        // -- on no dashboard, but shipped
        e.put("hepstack-search-logs", rows -> {
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0)).containsEntry("message", "200 OK relayed");
        });
        return e;
    }

    // ================================================================================= the tests

    @Test
    void everyPanelOfEveryDashboardShowsTheNumbersItsDataImplies() {
        Map<String, Consumer<List<Map<String, Object>>>> expected = expectations();
        Set<String> checked = new LinkedHashSet<>();
        for (SavedObjects.Panel p : objects.dashboardPanels()) {
            String id = p.object().path("id").asText();
            if (!checked.add(id)) {
                continue; // a panel shown on two dashboards is the same query
            }
            assertThat(expected).as("an expectation for panel " + id + " of " + p.dashboard()).containsKey(id);
            List<Map<String, Object>> rows = run(p.object());
            try {
                expected.get(id).accept(rows);
            } catch (AssertionError e) {
                throw new AssertionError("panel " + id + " of " + p.dashboard() + " showed " + rows + ": " + e.getMessage(), e);
            }
        }
        for (JsonNode search : objects.ofType("search")) {
            String id = search.path("id").asText();
            if (checked.add(id)) {
                expected.get(id).accept(run(search));
            }
        }
        assertThat(checked).as("panels checked").containsExactlyInAnyOrderElementsOf(expected.keySet());
        assertThat(checked).hasSize(51);
    }

    @Test
    void theControlsOfferTheValuesInTheData() {
        Map<String, Map<String, Double>> expected = Map.of(
                "hepstack-dv-tdr/hep.node", Map.of("sbc-1", 8.0, "sbc-2", 7.0),
                "hepstack-dv-tdr/hep.group", Map.of("eu", 8.0, "us", 7.0),
                "hepstack-dv-tdr/tdr.caller.domain", Map.of("a.example", 8.0, "b.example", 7.0),
                "hepstack-dv-sip/hep.node", Map.of("sbc-1", 26.0, "sbc-2", 10.0),
                "hepstack-dv-sip/hep.group", Map.of("eu", 26.0, "us", 10.0),
                "hepstack-dv-sip/sip.to.uri.host", Map.of("a.example", 26.0, "b.example", 10.0),
                "hepstack-dv-alert/alert.severity", Map.of("high", 5.0, "medium", 4.0, "critical", 1.0),
                "hepstack-dv-alert/alert.rule", Map.of("scanner", 4.0, "register-flood", 3.0, "high-risk-destination", 2.0,
                        "high-cost", 1.0));
        Set<String> seen = new HashSet<>();
        for (JsonNode d : objects.ofType("dashboard")) {
            JsonNode controls = SavedObjects.json(d.path("attributes").path("controlGroupInput").path("panelsJSON"));
            controls.fields().forEachRemaining(c -> {
                String dataView = SavedObjects.reference(d, "controlGroup_" + c.getKey() + ":optionsListDataView");
                String field = c.getValue().path("explicitInput").path("fieldName").asText();
                String key = dataView + "/" + field;
                seen.add(key);
                assertThat(expected).as("an expectation for control " + key).containsKey(key);
                assertThat(byKey(execute(PanelQueries.optionsList(objects, dataView, field, RANGE)), "value", "count"))
                        .as(key).isEqualTo(expected.get(key));
            });
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(expected.keySet());
    }

    @Test
    void theTimePickerNarrowsEveryPanel() {
        PanelQueries.TimeRange day2 = new PanelQueries.TimeRange(Instant.parse("2001-01-02T00:00:00Z"),
                Instant.parse("2001-01-03T00:00:00Z"));
        // on the second day: c6 (answered), c11 (canceled), c12 (failed), r13 (ringing)
        assertThat(single(execute(PanelQueries.lens(objects, objects.get("hepstack-lens-cdr-count"), day2)), "m")).isEqualTo(4.0);
        assertThat(single(execute(PanelQueries.lens(objects, objects.get("hepstack-lens-asr"), day2)), "m"))
                .isCloseTo(1.0 / 3, within(EPS));
        // no call was rated that day: the sum is empty, not 0
        assertThat(single(execute(PanelQueries.lens(objects, objects.get("hepstack-lens-cost-total"), day2)), "m")).isNull();
        assertThat(PanelQueries.autoInterval(RANGE)).isEqualTo("1h");
    }

    // ================================================================================= helpers

    private static List<Map<String, Object>> run(JsonNode object) {
        return switch (object.path("type").asText()) {
            case "lens" -> execute(PanelQueries.lens(objects, object, RANGE));
            case "search" -> execute(PanelQueries.search(objects, object, RANGE));
            case "map" -> execute(PanelQueries.mapLayer(objects, object, "invite-destinations", RANGE, 6));
            default -> throw new AssertionError("no translator for " + object.path("type").asText());
        };
    }

    private static List<Map<String, Object>> execute(PanelQueries.Request request) {
        JsonNode response = es.post("/" + request.index() + "/_search?ignore_unavailable=true&allow_no_indices=true",
                request.body().toString());
        assertThat(response.path("_shards").path("failed").asInt()).as(response.toString()).isZero();
        return request.reader().apply(response);
    }

    private static Double single(List<Map<String, Object>> rows, String column) {
        assertThat(rows).hasSize(1);
        return (Double) rows.get(0).get(column);
    }

    private static List<Object> column(List<Map<String, Object>> rows, String column) {
        List<Object> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.get(column)));
        return out;
    }

    private static List<String> keys(List<Map<String, Object>> rows, String column) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(String.valueOf(r.get(column))));
        return out;
    }

    private static Map<String, Double> byKey(List<Map<String, Object>> rows, String key, String value) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map<String, Object> r : rows) {
            assertThat(out.put(String.valueOf(r.get(key)), (Double) r.get(value))).as("one row per " + r.get(key)).isNull();
        }
        return out;
    }

    /** Rows keyed "series@bucket" (or just "bucket" without a series column). */
    private static Map<String, Double> points(List<Map<String, Object>> rows, String series, String bucket, String value) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map<String, Object> r : rows) {
            String k = (series == null ? "" : r.get(series) + "@") + r.get(bucket);
            assertThat(out.put(k, (Double) r.get(value))).as("one point per " + k).isNull();
        }
        return out;
    }

    private static void assertPoints(Map<String, Double> actual, Map<String, Double> expected) {
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((k, v) -> assertThat(actual.get(k)).as(k).isCloseTo(v, within(FLOAT_EPS)));
    }

    /** Rows in this order with these values: key1, value1, key2, value2, ... */
    private static void ordered(List<Map<String, Object>> rows, String key, String value, Object... expected) {
        List<String> k = new ArrayList<>();
        List<Double> v = new ArrayList<>();
        for (int i = 0; i < expected.length; i += 2) {
            k.add((String) expected[i]);
            v.add((Double) expected[i + 1]);
        }
        assertThat(keys(rows, key)).containsExactlyElementsOf(k);
        assertThat(column(rows, value)).containsExactlyElementsOf(new ArrayList<>(v));
    }

    /** Table rows in order: key, then the metric columns. */
    private static void table(List<Map<String, Object>> rows, String key, List<String> metrics, List<List<Object>> expected) {
        assertThat(rows).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            List<Object> want = expected.get(i);
            assertThat(rows.get(i).get(key)).as("row " + i).isEqualTo(want.get(0));
            for (int m = 0; m < metrics.size(); m++) {
                assertThat((Double) rows.get(i).get(metrics.get(m))).as(want.get(0) + " " + metrics.get(m))
                        .isCloseTo((Double) want.get(m + 1), within(EPS));
            }
        }
    }

    private static void index(List<Doc> docs) {
        StringBuilder bulk = new StringBuilder();
        int n = 0;
        for (Doc d : docs) {
            d.checkMapped(catalog);
            String index = new IndexNames(d.family).forMicros(Instant.parse(d.timestamp).toEpochMilli() * 1000);
            assertThat(indices).as("seeded index").contains(index);
            bulk.append("{\"index\":{\"_index\":\"").append(index).append("\",\"_id\":\"kibana-it-").append(n++).append("\"}}\n");
            bulk.append(SavedObjects.MAPPER.valueToTree(d.source).toString()).append('\n');
        }
        JsonNode r = es.post("/_bulk?refresh=true", bulk.toString());
        assertThat(r.path("errors").asBoolean()).as(r.toString()).isFalse();
        assertThat(r.path("items").size()).isEqualTo(docs.size());
    }

    private static void deleteIndices() {
        for (String index : indices) {
            if (es.status("HEAD", "/" + index) == 200) {
                es.delete("/" + index);
            }
        }
    }

    /** A document for one index family, built from dotted field names. */
    private static final class Doc {
        final String family;
        final String timestamp;
        final Map<String, Object> source = new LinkedHashMap<>();
        private final List<String> fields = new ArrayList<>();

        Doc(String family, String timestamp) {
            this.family = family;
            this.timestamp = timestamp;
            put("@timestamp", timestamp);
        }

        @SuppressWarnings("unchecked")
        Doc put(String dotted, Object value) {
            if (value == null) {
                return this;
            }
            fields.add(dotted);
            String[] parts = dotted.equals("@timestamp") ? new String[]{dotted} : dotted.split("\\.");
            Map<String, Object> node = source;
            for (int i = 0; i < parts.length - 1; i++) {
                node = (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
            }
            node.put(parts[parts.length - 1], value);
            return this;
        }

        /** The mapping is not dynamic: a field it lacks would vanish silently, so refuse it here. */
        void checkMapped(FieldCatalog catalog) {
            for (String f : fields) {
                assertThat(catalog.field(family, f)).as(f + " is mapped for hep-" + family + "-*").isNotNull();
            }
        }
    }
}
