package io.hepstack.collector.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.correlate.CollectorFixtures;
import io.hepstack.collector.correlate.CollectorFixtures.Outcome;
import io.hepstack.collector.correlate.TestEnricher;
import io.hepstack.collector.fraud.rules.Checks;
import io.hepstack.collector.fraud.rules.FraudConfig;
import io.hepstack.collector.fraud.rules.FraudConfigLoader;
import io.hepstack.collector.es.ElasticsearchClients;
import io.hepstack.collector.index.IndexRequest;
import io.hepstack.collector.protocol.sip.ReasonPhrases;
import io.hepstack.collector.qos.Codec;
import io.hepstack.collector.qos.EModel;
import io.hepstack.enricher.Enricher;
import io.hepstack.enricher.IpInfo;
import io.hepstack.enricher.blacklist.BlacklistHit;
import io.hepstack.enricher.geo.GeoInfo;
import io.hepstack.enricher.rating.RateQuery;
import io.hepstack.enricher.rating.Rating;
import io.hepstack.collector.index.TemplateInstaller;
import io.hepstack.collector.testing.EsHttp;
import io.hepstack.collector.testing.TestElasticsearch;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
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
 * must show the answers its data implies. Every document is one the collector writes: the scenario
 * tables below ({@link #CALLS}, {@link #TRANSACTIONS} such as registrations and a scanner's probes,
 * logs) are run as SIP, RTCP and log traffic through the collector's stages (parse, enrich, reorder,
 * correlate, rate, fraud with {@link #FRAUD_RULES}) and its real document writers
 * ({@link CollectorFixtures#run}): the SIP message documents (lean, as shipped), the call and
 * transaction TDRs, the RTCP reports, the log lines and the fraud alerts. The expected answers are
 * computed from those tables: ASR from the outcomes, MOS from each report's loss and jitter by the
 * E-model, costs by the sample rate table, countries and blacklists of addresses by the sample
 * enricher, the SIP panels from the messages the scenarios send ({@link CollectorFixtures#sent}),
 * the alerts from the rules' windows and thresholds applied to the scripted calls and requests.
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
    private static final Set<String> indices = new LinkedHashSet<>();

    @BeforeAll
    static void seed() throws Exception {
        es = EsHttp.shared();
        objects = SavedObjects.load();
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
        fraud = new FraudConfigLoader().load(Path.of(KibanaPanelsIT.class.getResource(FRAUD_RULES).toURI()));
        try (Enricher enricher = TestEnricher.build()) {
            for (Scripted c : CALLS) {
                costs.put(c.call.id(), cost(enricher, c));
                GeoInfo geo = enricher.ip(c.call.calleeIp()).geo();
                assertThat(geo).as("the test GeoIP database places " + c.call.calleeIp()).isNotNull();
                PLACES.put(c.call.calleeIp(), place(geo.latitude(), geo.longitude()));
            }
            for (CollectorFixtures.Sent m : SENT) {
                for (String ip : List.of(m.srcIp(), m.dstIp())) {
                    IpInfo info = enricher.ip(ip);
                    COUNTRIES.put(ip, info.geo() == null ? null : info.geo().countryIsoCode());
                    LISTS.put(ip, info.blacklists().stream().map(BlacklistHit::list).distinct().toList());
                }
            }
            for (String scanner : List.of(SCANNER, PROBER, BLACKLISTED_CALLER)) {
                assertThat(LISTS.get(scanner)).as(scanner + " is on a sample blacklist").isNotEmpty();
            }
            assertThat(LISTS.get(SCANNER)).as("on two lists").hasSize(2);
            assertThat(LISTS.get(REGISTRAR)).as("the registrar is on no list").isEmpty();
            // everything the collector writes for the tables, alerts included
            collectorOutput = CollectorFixtures.run(CALLS.stream().map(Scripted::call).toList(), TRANSACTIONS, LOGS,
                    enricher, fraud);
        }
        indexCollectorOutput(collectorOutput);
    }

    @AfterAll
    static void cleanUp() {
        if (es != null) {
            deleteIndices();
        }
    }

    // ================================================================================= the data

    /** A scanner on voipbl and CINS, another on voipbl, and a caller on voipbl (the sample lists). */
    private static final String SCANNER = "198.51.100.23";
    private static final String PROBER = "175.16.199.20";
    private static final String BLACKLISTED_CALLER = "175.16.199.10";
    /** Where the transactions go (on no list). */
    private static final String REGISTRAR = "203.0.113.200";

    /**
     * The calls, run through the collector (parse, enrich, reorder, correlate, rate, the real
     * writers): 12 attempts with an outcome (5 answered and finished, each with an RTCP report; 1
     * answered and still up; 3 busy; 1 declined; 1 canceled; 1 failed without ringing, from an
     * address on a blacklist) and 1 call still ringing. The region of each called number is a fact
     * of the numbering plan; everything else the panels show is computed from this table.
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
            call("c12", DAY2 + "10:00:00Z", Outcome.HARD_FAILURE, null, null, "sbc-1", "1001", "+12125550100", "US", null, null)
                    .from(BLACKLISTED_CALLER),
            call("r13", DAY2 + "10:30:00Z", Outcome.RINGING, 600, null, "sbc-2", "1002", "+4930111", "DE", null, null));

    /**
     * Transactions outside calls: three registrations of phones (one challenged first), a scanner
     * on two blacklists guessing extensions with REGISTERs (404 for the ones it did not find, 401
     * for one that exists) and coming back with OPTIONS the next day, and another blacklisted
     * scanner probing with OPTIONS. Which User-Agents are scanners' is a fact ({@link #SCANNER_AGENTS}).
     */
    private static final List<CollectorFixtures.Transaction> TRANSACTIONS = List.of(
            //  method      user    time                      code  node     from               User-Agent
            tx("REGISTER", "1001", DAY1 + "09:00:00Z", 200, "sbc-1", "198.51.100.10", "Zoiper rv2.10"),
            tx("REGISTER", "1002", DAY1 + "11:30:00Z", 401, "sbc-2", "198.51.100.20", "Yealink SIP-T46S"),
            tx("REGISTER", "1002", DAY1 + "11:30:01Z", 200, "sbc-2", "198.51.100.20", "Yealink SIP-T46S"),
            tx("REGISTER", "100", DAY1 + "12:00:00Z", 404, "sbc-1", SCANNER, "friendly-scanner"),
            tx("REGISTER", "100", DAY1 + "12:00:01Z", 404, "sbc-1", SCANNER, "friendly-scanner"),
            tx("REGISTER", "100", DAY1 + "12:00:02Z", 404, "sbc-1", SCANNER, "friendly-scanner"),
            tx("REGISTER", "101", DAY1 + "12:00:03Z", 404, "sbc-1", SCANNER, "friendly-scanner"),
            tx("REGISTER", "101", DAY1 + "12:00:04Z", 404, "sbc-1", SCANNER, "friendly-scanner"),
            tx("REGISTER", "102", DAY1 + "12:00:05Z", 401, "sbc-1", SCANNER, "friendly-scanner"),
            tx("OPTIONS", "100", DAY1 + "12:10:00Z", 200, "sbc-1", PROBER, "sipcli/v1.8"),
            tx("OPTIONS", "100", DAY2 + "12:00:00Z", 404, "sbc-1", SCANNER, "friendly-scanner"),
            tx("OPTIONS", "101", DAY2 + "12:30:00Z", 404, "sbc-1", SCANNER, "friendly-scanner"));

    /** Two log lines of c1, as a proxy sends them over HEP. */
    private static final List<CollectorFixtures.Log> LOGS = List.of(
            new CollectorFixtures.Log("c1", micros(DAY1 + "10:05:00.200Z"), "INVITE relayed", "sbc-1"),
            new CollectorFixtures.Log("c1", micros(DAY1 + "10:05:00.600Z"), "200 OK relayed", "sbc-1"));

    /** The User-Agents of {@link #TRANSACTIONS} that scanners send. */
    private static final Set<String> SCANNER_AGENTS = Set.of("friendly-scanner", "sipcli/v1.8");
    /** Every SIP message the calls and transactions send. */
    private static final List<CollectorFixtures.Sent> SENT = CollectorFixtures.sent(CALLS.stream().map(Scripted::call).toList(),
            TRANSACTIONS);

    /** The fraud rules of the run (a test resource): the checks whose alerts {@link #alerts()} computes, the rest off. */
    private static final String FRAUD_RULES = "/kibana/fraud-rules.yml";
    private static FraudConfig fraud;

    /** The high-risk regions of the panels' queries (kibana/README.md, "Definitions"). */
    private static final Set<String> HIGH_RISK = Set.of("CU", "SO", "SL", "GN", "GW", "LR", "ER", "TV", "NR", "KI", "SB",
            "CK", "001");

    /** What the collector wrote, and each call's price by the sample rate table (null: not rated). */
    private static List<IndexRequest> collectorOutput;
    private static final Map<String, Rating> costs = new HashMap<>();
    /** Each callee address's place by the enricher (latitude and longitude to 3 decimals). */
    private static final Map<String, String> PLACES = new HashMap<>();
    /** The country (null: none) and the blacklists of every address in {@link #SENT}, by the enricher. */
    private static final Map<String, String> COUNTRIES = new HashMap<>();
    private static final Map<String, List<String>> LISTS = new HashMap<>();

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

        /** The same call from another address. */
        Scripted from(String callerIp) {
            CollectorFixtures.Call c = call;
            return new Scripted(new CollectorFixtures.Call(c.id(), c.startMicros(), c.outcome(), c.ringMs(), c.durationS(),
                    c.node(), c.group(), c.callerUser(), c.domain(), c.callee(), callerIp, c.calleeIp(), c.userAgent(),
                    c.rtcpFractionLost(), c.rtcpJitterUnits()), region);
        }
    }

    private static final EModel EMODEL = new EModel();

    private static Scripted call(String id, String start, Outcome outcome, Integer ringMs, Integer durationS, String node,
                                 String caller, String callee, String region, Integer lost, Long jitter) {
        boolean eu = node.equals("sbc-1");
        return new Scripted(new CollectorFixtures.Call(id, micros(start), outcome, ringMs, durationS, node, group(node),
                caller, eu ? "a.example" : "b.example", callee, eu ? "198.51.100.10" : "198.51.100.20", calleeIp(node),
                eu ? "Zoiper rv2.10" : "Yealink SIP-T46S", lost, jitter), region);
    }

    private static String group(String node) {
        return node.equals("sbc-1") ? "eu" : "us";
    }

    /** A transaction of a node's domain (sbc-1: a.example, sbc-2: b.example), to {@link #REGISTRAR}. */
    private static CollectorFixtures.Transaction tx(String method, String user, String time, int code, String node, String ip,
                                                    String userAgent) {
        return new CollectorFixtures.Transaction(method, user, node.equals("sbc-1") ? "a.example" : "b.example", micros(time),
                code, node, group(node), ip, userAgent, REGISTRAR);
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
     * What a REGISTER answer counts as on the SIP health dashboard (as its registration panels
     * describe it): 2xx registered, 401/407 an authentication challenge, any other final error
     * failed; null for a provisional answer.
     */
    private static String registration(int code) {
        if (code < 200) {
            return null;
        }
        if (code < 300) {
            return "Registered";
        }
        return code == 401 || code == 407 ? "Challenged" : "Failed";
    }

    /** One alert document: its rule, severity, first time, user and source address. */
    private record ExpectedAlert(String rule, String severity, long micros, String user, String ip) {
    }

    /** Something a counted check counts: when, for whom (its subject: a user or an address), by which user from where. */
    private record Hit(long micros, String subject, String user, String ip) {
    }

    /**
     * The alerts {@link #FRAUD_RULES} raise for the tables (docs/fraud.md): a user's calls to a
     * high-risk destination (its countries and prefixes), calls from a blacklisted address, and
     * requests with a scanner's User-Agent from an address.
     */
    private static List<ExpectedAlert> alerts() {
        Checks checks = fraud.checks();
        Checks.Destinations risky = checks.highRiskDestination().destinations();
        List<ExpectedAlert> out = new ArrayList<>();
        out.addAll(counted("high-risk-destination", checks.highRiskDestination().count(), CALLS.stream()
                .filter(c -> risky.matches(c.region(), c.call.callee().substring(1), null))
                .map(c -> new Hit(c.call.startMicros(), c.call.callerUser(), c.call.callerUser(), c.call.callerIp())).toList()));
        out.addAll(counted("blacklisted-source", checks.blacklistedSource(), CALLS.stream()
                .filter(c -> !LISTS.get(c.call.callerIp()).isEmpty())
                .map(c -> new Hit(c.call.startMicros(), c.call.callerIp(), c.call.callerUser(), c.call.callerIp())).toList()));
        out.addAll(counted("scanner-user-agent", checks.scannerUserAgent().count(), SENT.stream()
                .filter(m -> m.request() && m.userAgent() != null && SCANNER_AGENTS.contains(m.userAgent()))
                .map(m -> new Hit(m.micros(), m.srcIp(), m.fromUser(), m.srcIp())).toList()));
        return out;
    }

    /**
     * The alerts of a counted check: each hit counts the subject's hits in the check's window (up to
     * and including itself); the highest level that count reaches is the alert's severity; one
     * alert per subject, severity and alert window, as its first hit has it.
     */
    private static List<ExpectedAlert> counted(String rule, Checks.Count check, List<Hit> hits) {
        long window = check.windowSeconds() * 1_000_000L;
        long alertWindow = fraud.limits().alertWindowSeconds() * 1_000_000L;
        List<Hit> sorted = hits.stream().sorted(Comparator.comparingLong(Hit::micros)).toList();
        Map<String, ExpectedAlert> out = new LinkedHashMap<>();
        for (Hit h : sorted) {
            long n = sorted.stream().filter(o -> o.subject().equals(h.subject()) && o.micros() <= h.micros()
                    && h.micros() - o.micros() < window).count();
            double critical = check.threshold().critical();
            double warning = check.threshold().warning();
            String severity = critical > 0 && n >= critical ? "critical" : warning > 0 && n >= warning ? "warning" : null;
            if (severity != null) {
                out.putIfAbsent(h.subject() + "/" + severity + "/" + Math.floorDiv(h.micros(), alertWindow),
                        new ExpectedAlert(rule, severity, h.micros(), h.user(), h.ip()));
            }
        }
        return new ArrayList<>(out.values());
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
        // -- the SIP messages: what the calls and transactions sent
        List<CollectorFixtures.Sent> requests = SENT.stream().filter(CollectorFixtures.Sent::request).toList();
        List<CollectorFixtures.Sent> responses = SENT.stream().filter(m -> !m.request()).toList();
        List<CollectorFixtures.Sent> invites = requests.stream().filter(m -> m.method().equals("INVITE")).toList();
        e.put("hepstack-lens-top-destination-countries-ip", rows -> ordered(rows, "t", "v", termsOrder(count(
                invites.stream().filter(m -> COUNTRIES.get(m.dstIp()) != null).toList(), m -> COUNTRIES.get(m.dstIp())))));
        e.put("hepstack-lens-top-destination-countries-number", rows -> ordered(rows, "t", "v",
                termsOrder(count(CALLS, Scripted::region))));
        e.put("hepstack-lens-top-source-ips", rows -> ordered(rows, "t", "v",
                termsOrder(count(SENT, CollectorFixtures.Sent::srcIp), IP_ORDER)));
        e.put("hepstack-lens-top-destination-ips", rows -> ordered(rows, "t", "v",
                termsOrder(count(SENT, CollectorFixtures.Sent::dstIp), IP_ORDER)));
        e.put("hepstack-lens-top-callers", rows -> ordered(rows, "t", "v", termsOrder(count(CALLS, c -> c.call.callerUser()))));
        e.put("hepstack-lens-top-callees", rows -> ordered(rows, "t", "v", termsOrder(count(CALLS, c -> c.call.callee()))));
        // the phones' and scanners' requests say who they are (User-Agent); responses carry a Server header
        e.put("hepstack-lens-top-user-agents", rows -> ordered(rows, "t", "v", termsOrder(count(
                SENT.stream().filter(m -> m.userAgent() != null).toList(), CollectorFixtures.Sent::userAgent))));
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
        // -- alerts and security: the alerts the fraud rules raise for the scripted traffic
        List<ExpectedAlert> alerts = alerts();
        e.put("hepstack-lens-alerts-by-rule", rows -> {
            assertThat(points(rows, "s", "x", "v")).isEqualTo(count(alerts, a -> a.rule() + "@" + hour(a.micros())));
            assertThat(new ArrayList<>(new LinkedHashSet<>(keys(rows, "s")))).as("rules by alerts")
                    .containsExactlyElementsOf(keysOf(termsOrder(count(alerts, ExpectedAlert::rule))));
        });
        e.put("hepstack-lens-alerts-by-severity", rows -> assertThat(points(rows, "s", "x", "v"))
                .isEqualTo(count(alerts, a -> a.severity() + "@" + hour(a.micros()))));
        e.put("hepstack-lens-alerts-total", rows -> assertThat(single(rows, "m")).isEqualTo((double) alerts.size()));
        e.put("hepstack-lens-top-alerted-users", rows -> ordered(rows, "t", "v", termsOrder(count(
                alerts.stream().filter(a -> a.user() != null).toList(), ExpectedAlert::user))));
        e.put("hepstack-lens-top-alerted-ips", rows -> ordered(rows, "t", "v",
                termsOrder(count(alerts, ExpectedAlert::ip), IP_ORDER)));
        e.put("hepstack-search-alerts", rows -> {
            assertThat(rows).hasSize(alerts.size());
            ExpectedAlert newest = alerts.stream().max(Comparator.comparingLong(ExpectedAlert::micros)).orElseThrow();
            assertThat(rows.get(0)).as("newest first").containsEntry("alert.rule", newest.rule())
                    .containsEntry("alert.severity", newest.severity()).containsEntry("alert.source_ip", newest.ip());
            assertThat(Instant.parse((String) rows.get(0).get("@timestamp"))).isEqualTo(instant(newest.micros()));
        });
        // blacklisted sources by list (an address on two lists counts on both), scanners by their User-Agent
        Map<String, Double> listed = new LinkedHashMap<>();
        SENT.forEach(m -> LISTS.get(m.srcIp()).forEach(l -> listed.merge(l + "@" + m.srcIp(), 1.0, Double::sum)));
        e.put("hepstack-lens-blacklist-hits", rows -> assertThat(points(rows, "l", "t", "v")).isEqualTo(listed));
        List<CollectorFixtures.Sent> scans = SENT.stream().filter(m -> m.userAgent() != null && SCANNER_AGENTS.contains(m.userAgent())).toList();
        e.put("hepstack-lens-scanner-traffic", rows -> assertThat(points(rows, null, "x", "v"))
                .isEqualTo(count(scans, m -> hour(m.micros()))));
        e.put("hepstack-lens-scanner-sources", rows -> ordered(rows, "t", "v",
                termsOrder(count(scans, CollectorFixtures.Sent::srcIp), IP_ORDER)));
        // -- SIP health
        e.put("hepstack-lens-sip-methods", rows -> {
            assertThat(points(rows, "s", "x", "v")).isEqualTo(count(requests, m -> m.method() + "@" + hour(m.micros())));
            assertThat(new ArrayList<>(new LinkedHashSet<>(keys(rows, "s")))).as("methods by requests")
                    .containsExactlyElementsOf(keysOf(termsOrder(count(requests, CollectorFixtures.Sent::method))));
        });
        e.put("hepstack-lens-sip-codes", rows -> {
            assertThat(points(rows, "s", "x", "v")).isEqualTo(count(responses, m -> m.code() + "@" + hour(m.micros())));
            assertThat(new ArrayList<>(new LinkedHashSet<>(keys(rows, "s")))).as("codes by responses").containsExactlyElementsOf(
                    keysOf(termsOrder(count(responses, m -> String.valueOf(m.code())), Comparator.comparingInt(Integer::parseInt))));
        });
        e.put("hepstack-lens-sip-response-classes", rows -> {
            assertThat(keys(rows, "g")).containsExactly("1xx", "2xx", "3xx", "4xx", "5xx", "6xx");
            List<Double> want = new ArrayList<>();
            for (int k = 1; k <= 6; k++) {
                int c = k;
                long n = responses.stream().filter(m -> m.code() / 100 == c).count();
                want.add(n == 0 ? null : (double) n);
            }
            assertThat(column(rows, "v")).containsExactlyElementsOf(new ArrayList<>(want));
        });
        List<CollectorFixtures.Sent> registerAnswers = responses.stream()
                .filter(m -> m.cseqMethod().equals("REGISTER") && registration(m.code()) != null).toList();
        List<CollectorFixtures.Sent> registerFailures = registerAnswers.stream()
                .filter(m -> registration(m.code()).equals("Failed")).toList();
        e.put("hepstack-lens-registrations-over-time", rows -> assertThat(points(rows, "s", "x", "v")).isEqualTo(
                count(registerAnswers, m -> registration(m.code()) + "@" + hour(m.micros()))));
        e.put("hepstack-lens-registrations-ok", rows -> assertThat(single(rows, "m")).isEqualTo((double) registerAnswers.stream()
                .filter(m -> registration(m.code()).equals("Registered")).count()));
        e.put("hepstack-lens-registrations-failed", rows -> assertThat(single(rows, "m")).isEqualTo((double) registerFailures.size()));
        e.put("hepstack-lens-registration-failures-by-user", rows -> ordered(rows, "t", "v",
                termsOrder(count(registerFailures, CollectorFixtures.Sent::toUser))));
        e.put("hepstack-search-sip-messages", rows -> {
            assertThat(rows).hasSize(SENT.size());
            CollectorFixtures.Sent newest = SENT.stream().max(Comparator.comparingLong(CollectorFixtures.Sent::micros)).orElseThrow();
            assertThat(rows.get(0)).as("newest first").containsEntry("source.ip", newest.srcIp())
                    .containsEntry("destination.ip", newest.dstIp()).containsEntry("sip.cseq.method", newest.cseqMethod());
            if (newest.request()) {
                assertThat(rows.get(0)).containsEntry("sip.method", newest.method());
            } else {
                assertThat(rows.get(0)).containsEntry("sip.code", (double) newest.code());
            }
            // the status column: lean documents leave out a registered reason phrase (the code column
            // says it), so a response shows its phrase exactly when it is an unusual one
            int registered = 0;
            for (Map<String, Object> row : rows) {
                if (row.containsKey("sip.code")) {
                    String start = String.valueOf(row.get("event.original")).split("\n", 2)[0].trim();
                    String phrase = start.substring("SIP/2.0 200 ".length());
                    int code = ((Number) row.get("sip.code")).intValue();
                    boolean usual = phrase.equals(ReasonPhrases.of(code));
                    assertThat(row.get("sip.status")).as(start).isEqualTo(usual ? null : phrase);
                    registered += usual ? 1 : 0;
                }
            }
            assertThat(registered).as("responses with their code's registered phrase").isPositive();
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
        // the TDRs: the calls and the transactions (one record each); the SIP messages; the alerts
        List<String[]> tdrs = new ArrayList<>();
        CALLS.forEach(c -> tdrs.add(new String[]{c.call.node(), c.call.group(), c.call.domain()}));
        TRANSACTIONS.forEach(t -> tdrs.add(new String[]{t.node(), t.group(), t.domain()}));
        List<ExpectedAlert> alerts = alerts();
        Map<String, Map<String, Double>> expected = Map.of(
                "hepstack-dv-tdr/hep.node", count(tdrs, t -> t[0]),
                "hepstack-dv-tdr/hep.group", count(tdrs, t -> t[1]),
                "hepstack-dv-tdr/tdr.caller.domain", count(tdrs, t -> t[2]),
                "hepstack-dv-sip/hep.node", count(SENT, CollectorFixtures.Sent::node),
                "hepstack-dv-sip/hep.group", count(SENT, CollectorFixtures.Sent::group),
                "hepstack-dv-sip/sip.to.uri.host", count(SENT, CollectorFixtures.Sent::toHost),
                "hepstack-dv-alert/alert.severity", count(alerts, ExpectedAlert::severity),
                "hepstack-dv-alert/alert.rule", count(alerts, ExpectedAlert::rule));
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
        return termsOrder(counts, Comparator.naturalOrder());
    }

    /** The same for keys in {@code keyOrder} (the field type's: numbers, addresses). */
    private static Object[] termsOrder(Map<String, Double> counts, Comparator<String> keyOrder) {
        List<Map.Entry<String, Double>> l = new ArrayList<>(counts.entrySet());
        l.sort(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey(keyOrder)));
        Object[] out = new Object[l.size() * 2];
        for (int i = 0; i < l.size(); i++) {
            out[2 * i] = l.get(i).getKey();
            out[2 * i + 1] = l.get(i).getValue();
        }
        return out;
    }

    /** The keys of {@link #termsOrder}'s key1, value1, ... */
    private static List<String> keysOf(Object[] keysAndValues) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.add((String) keysAndValues[i]);
        }
        return out;
    }

    /** IPv4 addresses as an ip field orders them: by value. */
    private static final Comparator<String> IP_ORDER = Comparator.comparingLong(ip -> {
        long v = 0;
        for (String part : ip.split("\\.")) {
            v = v * 256 + Integer.parseInt(part);
        }
        return v;
    });

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1000);
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
}
