package io.hepstack.collector.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.correlate.CollectorFixtures;
import io.hepstack.collector.correlate.CollectorFixtures.Outcome;
import io.hepstack.collector.correlate.TestEnricher;
import io.hepstack.collector.es.ElasticsearchClients;
import io.hepstack.collector.index.IndexRequest;
import io.hepstack.collector.qos.Codec;
import io.hepstack.collector.qos.EModel;
import io.hepstack.enricher.Enricher;
import io.hepstack.enricher.geo.GeoInfo;
import io.hepstack.enricher.rating.RateQuery;
import io.hepstack.enricher.rating.Rating;
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
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Every panel of every dashboard, run against a real Elasticsearch holding hepstack documents,
 * must show the answers its data implies. The call TDRs, registration TDRs, RTCP reports and log
 * lines are what the collector writes: the scenario tables below ({@link #CALLS}, registrations,
 * logs) are run as SIP, RTCP and log traffic through the collector's stages (parse, enrich,
 * reorder, correlate, rate) and its real document writers ({@link CollectorFixtures#run}), and the
 * expected answers are computed from those tables (ASR from the outcomes, MOS from each report's
 * loss and jitter by the E-model, costs by the sample rate table). The SIP message panels and the
 * alert panels still read the hand-made flows of {@link #sipMessages()} and {@link #alerts()}.
 * Each panel's query is built from its saved definition in kibana/hepstack.ndjson by
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
        try (Enricher enricher = TestEnricher.build()) {
            for (Scripted c : CALLS) {
                costs.put(c.call.id(), cost(enricher, c));
                GeoInfo geo = enricher.ip(c.call.calleeIp()).geo();
                assertThat(geo).as("the test GeoIP database places " + c.call.calleeIp()).isNotNull();
                PLACES.put(c.call.calleeIp(), place(geo.latitude(), geo.longitude()));
            }
            // the calls, registrations and logs as the collector writes them; their SIP message
            // documents are left out: the SIP panels are checked on the flows of sipMessages()
            collectorOutput = CollectorFixtures.run(CALLS.stream().map(Scripted::call).toList(), REGISTRATIONS, LOGS,
                    enricher).stream().filter(r -> !r.index().startsWith("hep-sip-")).toList();
        }
        List<Doc> docs = new ArrayList<>();
        docs.addAll(sipMessages());
        docs.addAll(alerts());
        index(docs);
        indexCollectorOutput(collectorOutput);
    }

    @AfterAll
    static void cleanUp() {
        if (es != null) {
            deleteIndices();
        }
    }

    // ================================================================================= the data

    /**
     * The calls, run through the collector (parse, enrich, reorder, correlate, rate, the real
     * writers): 12 attempts with an outcome (5 answered and finished, each with an RTCP report; 1
     * answered and still up; 3 busy; 1 declined; 1 canceled; 1 failed without ringing) and 1 call
     * still ringing. The region of each called number is a fact of the numbering plan; everything
     * else the panels show is computed from this table.
     */
    private static final List<Scripted> CALLS = List.of(
            //   id     start                  outcome        ring  dur  node     caller  callee            region  lost/256 jitter
            call("c1", DAY1 + "10:05:00Z", Outcome.FINISHED, 1000, 60, "sbc-1", "1001", "+4930111", "DE", 0, 40L),
            call("c2", DAY1 + "10:40:00Z", Outcome.FINISHED, 1500, 120, "sbc-1", "1001", "+4930111", "DE", 4, 120L),
            call("c3", DAY1 + "11:10:00Z", Outcome.FINISHED, 2000, 30, "sbc-2", "1002", "+447400123456", "GB", 13, 240L),
            call("c4", DAY1 + "13:00:00Z", Outcome.FINISHED, 2500, 300, "sbc-2", "1003", "+5378612345", "CU", 26, 480L),
            call("c5", DAY1 + "14:00:00Z", Outcome.FINISHED, 3000, 200, "sbc-1", "1003", "+5378612345", "CU", 1, 64L),
            call("c6", DAY2 + "09:00:00Z", Outcome.ANSWERED, 1200, null, "sbc-1", "1004", "+88213000123", "001", null, null),
            call("c7", DAY1 + "10:20:00Z", Outcome.USER_BUSY, 800, null, "sbc-1", "1001", "+4930111", "DE", null, null),
            call("c8", DAY1 + "11:20:00Z", Outcome.USER_BUSY, 900, null, "sbc-2", "1002", "+4930222", "DE", null, null),
            call("c9", DAY1 + "11:30:00Z", Outcome.USER_BUSY, 700, null, "sbc-2", "1003", "+447400123456", "GB", null, null),
            call("c10", DAY1 + "15:00:00Z", Outcome.DECLINE, 1100, null, "sbc-1", "1001", "+33142685300", "FR", null, null),
            call("c11", DAY2 + "09:30:00Z", Outcome.CANCELED, 1300, null, "sbc-2", "1003", "+5378612345", "CU", null, null),
            call("c12", DAY2 + "10:00:00Z", Outcome.HARD_FAILURE, null, null, "sbc-1", "1001", "+12125550100", "US", null, null),
            call("r13", DAY2 + "10:30:00Z", Outcome.RINGING, 600, null, "sbc-2", "1002", "+4930111", "DE", null, null));

    /** Two registrations: one accepted (us), one refused (eu). */
    private static final List<CollectorFixtures.Registration> REGISTRATIONS = List.of(
            new CollectorFixtures.Registration("1002", "b.example", micros(DAY1 + "11:30:00Z"), 200, "sbc-2", "us", "198.51.100.20"),
            new CollectorFixtures.Registration("100", "a.example", micros(DAY1 + "12:00:00Z"), 404, "sbc-1", "eu", "198.51.100.30"));

    /** Two log lines of c1, as a proxy sends them over HEP. */
    private static final List<CollectorFixtures.Log> LOGS = List.of(
            new CollectorFixtures.Log("c1", micros(DAY1 + "10:05:00.200Z"), "INVITE relayed", "sbc-1"),
            new CollectorFixtures.Log("c1", micros(DAY1 + "10:05:00.600Z"), "200 OK relayed", "sbc-1"));

    /** The high-risk regions of the panels' queries (kibana/README.md, "Definitions"). */
    private static final Set<String> HIGH_RISK = Set.of("CU", "SO", "SL", "GN", "GW", "LR", "ER", "TV", "NR", "KI", "SB",
            "CK", "001");

    /** What the collector wrote, and each call's price by the sample rate table (null: not rated). */
    private static List<IndexRequest> collectorOutput;
    private static final Map<String, Rating> costs = new HashMap<>();
    /** Each callee address's place by the enricher (latitude and longitude to 3 decimals). */
    private static final Map<String, String> PLACES = new HashMap<>();

    private static String place(double lat, double lon) {
        return String.format(java.util.Locale.ROOT, "%.3f,%.3f", lat, lon);
    }

    /** A scripted call and the region of its called number. */
    private record Scripted(CollectorFixtures.Call call, String region) {
        boolean attempt() {
            return call.outcome() != Outcome.RINGING;
        }

        /** PDD: INVITE to the 180 (every answered call rang first). */
        Integer setupMs() {
            return call.ringMs();
        }

        Double mos() {
            return call.rtcpFractionLost() == null ? null
                    : Math.round(EMODEL.evaluate(Codec.G711, lossPct(), 1.0, 0, jitterMs()).mos() * 10_000.0) / 10_000.0;
        }

        /** The report's loss (fraction lost / 256) and jitter (8 kHz units), as its RTCP document has them (2 decimals). */
        double lossPct() {
            return call.rtcpFractionLost() * 100.0 / 256;
        }

        double jitterMs() {
            return call.rtcpJitterUnits() / 8.0;
        }

        Double cost() {
            Rating r = costs.get(call.id());
            return r == null ? null : r.cost().doubleValue();
        }

        String destination() {
            Rating r = costs.get(call.id());
            return r == null ? null : r.destination();
        }

        String hour() {
            return KibanaPanelsIT.hour(call.startMicros());
        }
    }

    private static final EModel EMODEL = new EModel();

    private static Scripted call(String id, String start, Outcome outcome, Integer ringMs, Integer durationS, String node,
                                 String caller, String callee, String region, Integer lost, Long jitter) {
        boolean eu = node.equals("sbc-1");
        return new Scripted(new CollectorFixtures.Call(id, micros(start), outcome, ringMs, durationS, node, eu ? "eu" : "us",
                caller, eu ? "a.example" : "b.example", callee, eu ? "198.51.100.10" : "198.51.100.20", calleeIp(node),
                lost, jitter), region);
    }

    /** Where a node's calls go: an address the test GeoIP database places (London; Milton, US) and no sample blacklist lists. */
    private static String calleeIp(String node) {
        return node.equals("sbc-1") ? "81.2.69.142" : "216.160.83.56";
    }

    /**
     * The price the rate stage puts on an ended call (its billable seconds, answered or not) by the
     * sample rate table; none for a call still up or ringing, or a number the table does not price.
     */
    private static Rating cost(Enricher enricher, Scripted c) {
        if (c.call.outcome() == Outcome.ANSWERED || c.call.outcome() == Outcome.RINGING) {
            return null;
        }
        Integer seconds = c.call.durationS();
        Rating r = enricher.rate(new RateQuery(c.call.callee().substring(1), null, null, null,
                seconds == null ? 0 : seconds, c.call.outcome().answered(), Instant.ofEpochSecond(c.call.startMicros() / 1_000_000)));
        return r == null || r.cost() == null ? null : r;
    }

    private static long micros(String iso) {
        Instant i = Instant.parse(iso);
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    /** The hourly bucket of a capture time, as the panels' date histograms key it. */
    private static String hour(long micros) {
        return Instant.ofEpochSecond(micros / 1_000_000 / 3600 * 3600).toString();
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
        // -- calls overview: every call is a CDR; attempts are the calls with an outcome
        List<Scripted> attempts = CALLS.stream().filter(Scripted::attempt).toList();
        long answered = attempts.stream().filter(c -> c.call.outcome().answered()).count();
        long nerOutcomes = attempts.stream().filter(c -> c.call.outcome().answered() || c.call.outcome() == Outcome.USER_BUSY
                || c.call.outcome() == Outcome.DECLINE || c.call.outcome() == Outcome.CANCELED).count();
        List<Scripted> rated = CALLS.stream().filter(c -> c.cost() != null).toList();
        assertThat(rated.stream().filter(c -> c.cost() > 0)).as("finished calls the sample table prices").hasSizeGreaterThanOrEqualTo(4);
        double totalCost = rated.stream().mapToDouble(Scripted::cost).sum();
        e.put("hepstack-lens-cdr-count", rows -> assertThat(single(rows, "m")).isEqualTo((double) CALLS.size()));
        e.put("hepstack-lens-cost-total", rows -> assertThat(single(rows, "m")).isCloseTo(totalCost, within(EPS)));
        e.put("hepstack-lens-cost-max", rows -> assertThat(single(rows, "m"))
                .isCloseTo(rated.stream().mapToDouble(Scripted::cost).max().orElseThrow(), within(EPS)));
        e.put("hepstack-lens-cost-avg", rows -> assertThat(single(rows, "m")).isCloseTo(totalCost / rated.size(), within(EPS)));
        e.put("hepstack-lens-asr", rows -> assertThat(single(rows, "m")).isCloseTo((double) answered / attempts.size(), within(EPS)));
        e.put("hepstack-lens-ner", rows -> assertThat(single(rows, "m")).isCloseTo((double) nerOutcomes / attempts.size(), within(EPS)));
        e.put("hepstack-lens-pdd-avg", rows -> assertThat(single(rows, "m")).isCloseTo(attempts.stream()
                .filter(c -> c.setupMs() != null).mapToInt(Scripted::setupMs).average().orElseThrow(), within(EPS)));
        e.put("hepstack-lens-status-breakdown", rows -> ordered(rows, "g", "v", termsOrder(count(CALLS, c -> c.call.outcome().name()))));
        e.put("hepstack-lens-status-over-time", rows -> assertThat(points(rows, "s", "x", "v"))
                .isEqualTo(count(CALLS, c -> c.call.outcome().name() + "@" + c.hour())));
        e.put("hepstack-search-tdr-list", rows -> {
            assertThat(rows).hasSize(CALLS.size());
            assertThat(column(rows, "tdr.call_id")).as("newest first").containsExactlyElementsOf(CALLS.stream()
                    .sorted(Comparator.comparingLong((Scripted c) -> c.call.startMicros()).reversed()).map(c -> c.call.id()).toList());
            // as the collector writes them: an answered call still up is not final, nor is a ringing one
            rows.forEach(r -> assertThat(r.get("tdr.status")).isIn(Arrays.stream(Outcome.values()).map(Enum::name).toArray()));
        });
        // -- MOS time-machine: the finished calls with an RTCP report
        List<Scripted> withMos = CALLS.stream().filter(c -> c.mos() != null).toList();
        List<Scripted> finished = CALLS.stream().filter(c -> c.call.outcome() == Outcome.FINISHED).toList();
        e.put("hepstack-lens-mos-avg", rows -> assertThat(single(rows, "m"))
                .isCloseTo(withMos.stream().mapToDouble(Scripted::mos).average().orElseThrow(), within(FLOAT_EPS)));
        e.put("hepstack-lens-mos-worst", rows -> assertThat(single(rows, "m"))
                .isCloseTo(withMos.stream().mapToDouble(Scripted::mos).min().orElseThrow(), within(FLOAT_EPS)));
        e.put("hepstack-lens-duration-avg", rows -> assertThat(single(rows, "m"))
                .isCloseTo(finished.stream().mapToInt(c -> c.call.durationS()).average().orElseThrow(), within(EPS)));
        e.put("hepstack-lens-mos-by-group", rows -> assertPoints(points(rows, "s", "x", "v"),
                aggregate(withMos, c -> c.call.group() + "@" + c.hour(), Scripted::mos, "avg")));
        e.put("hepstack-lens-mos-worst-by-node", rows -> assertPoints(points(rows, "s", "x", "v"),
                aggregate(withMos, c -> c.call.node() + "@" + c.hour(), Scripted::mos, "min")));
        e.put("hepstack-lens-mos-distribution", rows -> {
            assertThat(keys(rows, "b")).containsExactly("Bad (< 3.1)", "Poor (3.1 - 3.6)", "Fair (3.6 - 4.0)",
                    "Good (4.0 - 4.3)", "Excellent (>= 4.3)");
            double[] edges = {Double.NEGATIVE_INFINITY, 3.1, 3.6, 4.0, 4.3, Double.POSITIVE_INFINITY};
            List<Double> want = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                double lo = edges[i];
                double hi = edges[i + 1];
                long n = withMos.stream().filter(c -> c.mos() >= lo && c.mos() < hi).count();
                want.add(n == 0 ? null : (double) n);
            }
            assertThat(column(rows, "v")).containsExactlyElementsOf(new ArrayList<>(want));
        });
        // RTCP documents carry each report's jitter and loss with two decimals
        Function<Scripted, String> reportHour = c -> hour(c.call.rtcpMicros());
        e.put("hepstack-lens-jitter-over-time", rows -> {
            assertPoints(points(rows, null, "x", "avg"), aggregate(withMos, reportHour, c -> r2(c.jitterMs()), "avg"));
            assertPoints(points(rows, null, "x", "max"), aggregate(withMos, reportHour, c -> r2(c.jitterMs()), "max"));
        });
        e.put("hepstack-lens-loss-over-time", rows -> {
            assertPoints(points(rows, null, "x", "avg"), aggregate(withMos, reportHour, c -> r2(c.lossPct()), "avg"));
            assertPoints(points(rows, null, "x", "max"), aggregate(withMos, reportHour, c -> r2(c.lossPct()), "max"));
        });
        e.put("hepstack-search-worst-calls", rows -> {
            List<Scripted> worstFirst = withMos.stream().sorted(Comparator.comparingDouble(Scripted::mos)).toList();
            assertThat(column(rows, "tdr.call_id")).containsExactlyElementsOf(worstFirst.stream().map(c -> c.call.id()).toList());
            assertThat((Double) rows.get(0).get("qos.mos")).isCloseTo(worstFirst.get(0).mos(), within(FLOAT_EPS));
        });
        // -- network top
        // the map counts calls (TDRs) by where their destination address is, as the enricher places it
        Map<String, Double> callsByPlace = new HashMap<>();
        for (Scripted c : CALLS) {
            callsByPlace.merge(PLACES.get(c.call.calleeIp()), 1.0, Double::sum);
        }
        e.put("hepstack-map-invite-destinations", rows -> {
            Map<String, Double> cells = new HashMap<>();
            for (Map<String, Object> r : rows) {
                cells.put(place((Double) r.get("lat"), (Double) r.get("lon")), (Double) r.get("count"));
            }
            assertThat(cells).isEqualTo(callsByPlace);
        });
        e.put("hepstack-lens-top-destination-countries-ip", rows -> ordered(rows, "t", "v", "DE", 4.0, "US", 3.0));
        e.put("hepstack-lens-top-destination-countries-number", rows -> ordered(rows, "t", "v",
                termsOrder(count(CALLS, Scripted::region))));
        e.put("hepstack-lens-top-source-ips", rows -> ordered(rows, "t", "v", "203.0.113.5", 17.0, "198.51.100.30", 6.0,
                "198.51.100.20", 5.0, "198.51.100.10", 4.0, "192.0.2.50", 3.0, "198.51.100.31", 1.0));
        e.put("hepstack-lens-top-destination-ips", rows -> ordered(rows, "t", "v", "203.0.113.5", 13.0, "198.51.100.10", 8.0,
                "198.51.100.30", 6.0, "198.51.100.20", 5.0, "192.0.2.50", 3.0, "198.51.100.31", 1.0));
        e.put("hepstack-lens-top-callers", rows -> ordered(rows, "t", "v", termsOrder(count(CALLS, c -> c.call.callerUser()))));
        e.put("hepstack-lens-top-callees", rows -> ordered(rows, "t", "v", termsOrder(count(CALLS, c -> c.call.callee()))));
        e.put("hepstack-lens-top-user-agents", rows -> ordered(rows, "t", "v", "Kamailio 5.8", 20.0, "friendly-scanner", 6.0,
                "Yealink SIP-T46S", 5.0, "Zoiper rv2.10", 4.0, "sipcli/v1.8", 1.0));
        e.put("hepstack-lens-distinct-callers", rows -> assertThat(single(rows, "m"))
                .isEqualTo((double) CALLS.stream().map(c -> c.call.callerUser()).distinct().count()));
        // -- fraud cost
        List<Scripted> highRisk = CALLS.stream().filter(c -> HIGH_RISK.contains(c.region())).toList();
        e.put("hepstack-lens-high-risk-calls", rows -> assertThat(single(rows, "m")).isEqualTo((double) highRisk.size()));
        e.put("hepstack-lens-cost-by-destination", rows -> {
            Map<String, Double> sums = new LinkedHashMap<>();
            aggregate(rated, c -> c.destination() + "@" + c.hour(), Scripted::cost, "sum").forEach((k, v) -> sums.put(k, lensSum(v)));
            assertPoints(points(rows, "s", "x", "v"), sums);
            assertThat(new ArrayList<>(new LinkedHashSet<>(keys(rows, "s")))).as("destinations by cost")
                    .containsExactlyElementsOf(byCost(rated, Scripted::destination));
        });
        e.put("hepstack-lens-top-callers-by-cost", rows -> table(rows, "t", List.of("cost", "calls", "air"),
                costTable(rated, c -> c.call.callerUser())));
        e.put("hepstack-lens-top-destinations-by-cost", rows -> table(rows, "t", List.of("cost", "calls", "air"),
                costTable(rated, Scripted::destination)));
        e.put("hepstack-lens-high-risk-destinations", rows -> {
            List<Object[]> want = new ArrayList<>();
            for (Object t : termsOrder(count(highRisk, Scripted::region))) {
                if (t instanceof String region) {
                    List<Scripted> in = highRisk.stream().filter(c -> c.region().equals(region)).toList();
                    List<Scripted> priced = in.stream().filter(c -> c.cost() != null).toList();
                    List<Scripted> ended = in.stream().filter(c -> c.call.durationS() != null).toList();
                    want.add(new Object[]{region, (double) in.size(),
                            lensSum(priced.stream().mapToDouble(Scripted::cost).sum()),
                            ended.isEmpty() ? null : (double) ended.stream().mapToInt(c -> c.call.durationS()).sum()});
                }
            }
            assertThat(rows).hasSize(want.size());
            for (int i = 0; i < want.size(); i++) {
                Object[] w = want.get(i);
                Map<String, Object> r = rows.get(i);
                assertThat(r.get("t")).isEqualTo(w[0]);
                assertThat(r.get("calls")).isEqualTo(w[1]);
                // a call still up has no cost and no airtime yet: empty cells
                for (int m = 2; m < 4; m++) {
                    String col = m == 2 ? "cost" : "air";
                    if (w[m] == null) {
                        assertThat(r.get(col)).as(w[0] + " " + col).isNull();
                    } else {
                        assertThat((Double) r.get(col)).as(w[0] + " " + col).isCloseTo((Double) w[m], within(EPS));
                    }
                }
            }
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
            assertThat(rows).hasSize(LOGS.size());
            assertThat(rows.get(0)).as("newest first").containsEntry("message",
                    LOGS.stream().max(Comparator.comparingLong(CollectorFixtures.Log::micros)).orElseThrow().text());
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
        // the TDRs: the calls and the registrations
        List<String[]> tdrs = new ArrayList<>();
        CALLS.forEach(c -> tdrs.add(new String[]{c.call.node(), c.call.group(), c.call.domain()}));
        REGISTRATIONS.forEach(r -> tdrs.add(new String[]{r.node(), r.group(), r.domain()}));
        Map<String, Map<String, Double>> expected = Map.of(
                "hepstack-dv-tdr/hep.node", count(tdrs, t -> t[0]),
                "hepstack-dv-tdr/hep.group", count(tdrs, t -> t[1]),
                "hepstack-dv-tdr/tdr.caller.domain", count(tdrs, t -> t[2]),
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
        List<Scripted> second = CALLS.stream().filter(c -> c.call.startMicros() >= micros("2001-01-02T00:00:00Z")).toList();
        List<Scripted> attempts = second.stream().filter(Scripted::attempt).toList();
        assertThat(single(execute(PanelQueries.lens(objects, objects.get("hepstack-lens-cdr-count"), day2)), "m"))
                .isEqualTo((double) second.size());
        assertThat(single(execute(PanelQueries.lens(objects, objects.get("hepstack-lens-asr"), day2)), "m"))
                .isCloseTo((double) attempts.stream().filter(c -> c.call.outcome().answered()).count() / attempts.size(), within(EPS));
        // only what ended that day is priced (unanswered: at no cost); a sum of nothing (or of 0) shows empty
        List<Scripted> ratedThatDay = second.stream().filter(c -> c.cost() != null).toList();
        Double dayCost = single(execute(PanelQueries.lens(objects, objects.get("hepstack-lens-cost-total"), day2)), "m");
        Double want = lensSum(ratedThatDay.stream().mapToDouble(Scripted::cost).sum());
        if (want == null) {
            assertThat(dayCost).isNull();
        } else {
            assertThat(dayCost).isCloseTo(want, within(EPS));
        }
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
        expected.forEach((k, v) -> {
            if (v == null) {
                assertThat(actual.get(k)).as(k).isNull();
            } else {
                assertThat(actual.get(k)).as(k).isCloseTo(v, within(FLOAT_EPS));
            }
        });
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
                Double actual = (Double) rows.get(i).get(metrics.get(m));
                if (want.get(m + 1) == null) {
                    assertThat(actual).as(want.get(0) + " " + metrics.get(m)).isNull();
                } else {
                    assertThat(actual).as(want.get(0) + " " + metrics.get(m)).isCloseTo((Double) want.get(m + 1), within(EPS));
                }
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

    /** Indexes the collector's documents as its bulk indexer does: each into its index, under its id, at its version. */
    private static void indexCollectorOutput(List<IndexRequest> requests) {
        StringBuilder bulk = new StringBuilder();
        for (IndexRequest r : requests) {
            assertThat(indices).as("seeded index").contains(r.index());
            bulk.append("{\"index\":{\"_index\":\"").append(r.index()).append("\",\"_id\":\"").append(r.id()).append('"');
            if (r.externalVersion() > 0) {
                bulk.append(",\"version\":").append(r.externalVersion()).append(",\"version_type\":\"external\"");
            }
            bulk.append("}}\n").append(new String(r.source(), java.nio.charset.StandardCharsets.UTF_8)).append('\n');
        }
        JsonNode r = es.post("/_bulk?refresh=true", bulk.toString());
        assertThat(r.path("errors").asBoolean()).as(r.toString()).isFalse();
        assertThat(r.path("items").size()).isEqualTo(requests.size());
    }

    /** How many of {@code items} have each key. */
    private static <T> Map<String, Double> count(List<T> items, Function<T, String> key) {
        Map<String, Double> out = new LinkedHashMap<>();
        items.forEach(i -> out.merge(key.apply(i), 1.0, Double::sum));
        return out;
    }

    /** Keys and counts in a terms aggregation's order (count descending, then key), as key1, value1, ... */
    private static Object[] termsOrder(Map<String, Double> counts) {
        List<Map.Entry<String, Double>> l = new ArrayList<>(counts.entrySet());
        l.sort(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        Object[] out = new Object[l.size() * 2];
        for (int i = 0; i < l.size(); i++) {
            out[2 * i] = l.get(i).getKey();
            out[2 * i + 1] = l.get(i).getValue();
        }
        return out;
    }

    /** An average, minimum, maximum or sum of {@code value} per key. */
    private static <T> Map<String, Double> aggregate(List<T> items, Function<T, String> key, Function<T, Double> value, String how) {
        Map<String, List<Double>> by = new LinkedHashMap<>();
        items.forEach(i -> by.computeIfAbsent(key.apply(i), k -> new ArrayList<>()).add(value.apply(i)));
        Map<String, Double> out = new LinkedHashMap<>();
        by.forEach((k, v) -> out.put(k, switch (how) {
            case "avg" -> v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            case "min" -> v.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            case "max" -> v.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            case "sum" -> v.stream().mapToDouble(Double::doubleValue).sum();
            default -> throw new IllegalArgumentException(how);
        }));
        return out;
    }

    /** The keys by their summed cost, highest first. */
    private static List<String> byCost(List<Scripted> rated, Function<Scripted, String> key) {
        Map<String, Double> sums = aggregate(rated, key, Scripted::cost, "sum");
        return sums.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey())).map(Map.Entry::getKey).toList();
    }

    /** Rows of (key, summed cost, rated calls, summed airtime), highest cost first. */
    private static List<List<Object>> costTable(List<Scripted> rated, Function<Scripted, String> key) {
        Map<String, Double> cost = aggregate(rated, key, Scripted::cost, "sum");
        Map<String, Double> calls = count(rated, key);
        // airtime sums the calls that have one (answered); none: an empty cell
        Map<String, Double> air = aggregate(rated.stream().filter(c -> c.call.durationS() != null).toList(), key,
                c -> (double) c.call.durationS(), "sum");
        List<List<Object>> out = new ArrayList<>();
        for (String k : byCost(rated, key)) {
            out.add(Arrays.asList(k, lensSum(cost.get(k)), calls.get(k), air.get(k)));
        }
        return out;
    }

    /** A Lens sum as a panel shows it: 0 (nothing, or only zeros) is an empty cell. */
    private static Double lensSum(Double v) {
        return v == null || v == 0 ? null : v;
    }

    private static double r2(double v) {
        return Math.round(v * 100.0) / 100.0;
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
