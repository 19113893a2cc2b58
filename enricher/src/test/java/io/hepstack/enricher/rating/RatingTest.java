package io.hepstack.enricher.rating;

import io.hepstack.enricher.Enricher;
import io.hepstack.enricher.EnricherConfig;
import io.hepstack.enricher.EnricherException;
import io.hepstack.enricher.Samples;
import io.hepstack.enricher.net.IpAddress;
import io.hepstack.enricher.reload.LoadException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Prices of the hepgen calls from testdata/SOURCES.md "rates/" for the ASTPP, Kazoo and CGRateS
 * samples, billing boundaries, rounding, table rules, currency, valid_from and file errors.
 */
class RatingTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static Enricher enricher;

    @BeforeAll
    static void start() throws Exception {
        EnricherConfig c = Samples.empty();
        c.rating.enabled = true;
        c.rating.tables.add(Samples.table("astpp", Samples.RATES.resolve("astpp-origination-rates.csv"), "astpp", "USD"));
        c.rating.tables.add(Samples.table("kazoo", Samples.RATES.resolve("kazoo-ratedeck.csv"), "kazoo", "EUR"));
        c.rating.tables.add(Samples.table("cgrates", Samples.RATES.resolve("cgrates"), "cgrates", "GBP"));
        RatingRule byNode = new RatingRule();
        byNode.table = "kazoo";
        byNode.nodes.add("kazoo");
        RatingRule byNode2 = new RatingRule();
        byNode2.table = "cgrates";
        byNode2.nodes.add("cgrates");
        c.rating.rules.add(byNode);
        c.rating.rules.add(byNode2);
        enricher = Enricher.build(c);
    }

    @AfterAll
    static void stop() {
        enricher.close();
    }

    private static Rating rate(String table, String callee, long seconds, boolean answered) {
        return enricher.rate(new RateQuery(callee, null, null, table, seconds, answered, T));
    }

    /** The SOURCES.md table: same prices in all three files (CGRateS: see {@link #cgratesHonoursItsRoundingMethod}). */
    @ParameterizedTest(name = "[{arguments}]")
    @CsvSource(delimiter = '|', value = {
        // call | to            | s   | answered | code  | ASTPP/Kazoo destination        | CGRateS destination     | billed | cost    | CGRateS cost (*up)
        "1      | +442079460123 | 146 | true     | 4420  | United Kingdom - London        | DST_UK_LONDON           | 146    | 0.0243  | 0.0244",
        "2      | +4915123456789| 131 | true     | 49151 | Germany - Mobile T-Mobile      | DST_DE_MOBILE           | 180    | 0.2100  | 0.2100",
        "3      | +4915123456789| 102 | true     | 49151 | Germany - Mobile T-Mobile      | DST_DE_MOBILE           | 120    | 0.1400  | 0.1400",
        "4      | +33142685300  | 65  | true     | 331   | France - Paris                 | DST_FR_PARIS            | 65     | 0.0130  | 0.0130",
        "5      | +447700900123 | 97  | true     | 447   | United Kingdom - Mobile        | DST_UK_MOBILE           | 97     | 0.0889  | 0.0890",
        "6      | +88213000123  | 0   | false    | 88213 | International Networks - EMSAT | DST_INTL_NETWORKS_EMSAT | 0      | 0.0000  | 0.0000",
        "8      | +88213000123  | 123 | true     | 88213 | International Networks - EMSAT | DST_INTL_NETWORKS_EMSAT | 180    | 14.9500 | 14.9500",
        "9      | +3727123456   | 37  | true     | 372   | Estonia - Fixed                | DST_EE                  | 60     | 0.0300  | 0.0300",
        "12     | +861012345678 | 93  | true     | 8610  | China - Beijing                | DST_CN_BEIJING          | 96     | 0.0288  | 0.0288",
        "14     | +4930901820   | 184 | true     | 4930  | Germany - Berlin               | DST_DE_BERLIN           | 240    | 0.0440  | 0.0440",
        "15     | +5372345678   | 64  | true     | 537   | Cuba - Havana                  | DST_CU_HAVANA           | 120    | 1.9000  | 1.9000",
        "17     | +5372345678   | 19  | true     | 537   | Cuba - Havana                  | DST_CU_HAVANA           | 60     | 1.0000  | 1.0000",
    })
    void hepgenCallsInAllThreeFormats(int call, String to, long seconds, boolean answered, String code, String dest,
                                      String cgDest, long billed, String cost, String cgCost) {
        Rating a = rate("astpp", to, seconds, answered);
        assertThat(a.table()).isEqualTo("astpp");
        assertThat(a.prefix()).isEqualTo(code);
        assertThat(a.destination()).isEqualTo(dest);
        assertThat(a.billedSeconds()).isEqualTo(billed);
        assertThat(a.cost()).isEqualTo(new BigDecimal(cost));
        assertThat(a.currency()).isEqualTo("USD");

        Rating k = rate("kazoo", to, seconds, answered);
        assertThat(k.table()).isEqualTo("kazoo");
        assertThat(k.prefix()).isEqualTo(code);
        assertThat(k.destination()).isEqualTo(dest);
        assertThat(k.billedSeconds()).isEqualTo(billed);
        assertThat(k.cost()).isEqualTo(new BigDecimal(cost));
        assertThat(k.currency()).isEqualTo("EUR");

        Rating g = rate("cgrates", to, seconds, answered);
        assertThat(g.table()).isEqualTo("cgrates");
        assertThat(g.prefix()).isEqualTo(code);
        assertThat(g.destination()).isEqualTo(cgDest);
        assertThat(g.billedSeconds()).isEqualTo(billed);
        assertThat(g.cost()).isEqualTo(new BigDecimal(cgCost));
        assertThat(g.currency()).isEqualTo("GBP");
        assertThat(g.ratePerMinute()).isEqualByComparingTo(a.ratePerMinute());
        assertThat(g.connectFee()).isEqualByComparingTo(a.connectFee());
    }

    /**
     * The sample plan says RoundingMethod *up (CGRateS rounds its cost up), so calls 1 and 5, whose
     * exact costs are 0.024333… and 0.088916…, cost 0.0244 and 0.0890 there. With *middle (half-up)
     * the plan gives exactly the SOURCES.md figures.
     */
    @Test
    void cgratesHonoursItsRoundingMethod(@TempDir Path dir) throws Exception {
        for (String f : new String[] {"Destinations.csv", "Rates.csv", "RatingPlans.csv"}) {
            Files.copy(Samples.RATES.resolve("cgrates").resolve(f), dir.resolve(f));
        }
        Files.writeString(dir.resolve("DestinationRates.csv"),
                Files.readString(Samples.RATES.resolve("cgrates/DestinationRates.csv")).replace("*up", "*middle"));
        RateTable t = new CgratesRateLoader("cg", "EUR", null).load(dir);
        assertThat(t.find("442079460123", T).cost(146)).isEqualTo(new BigDecimal("0.0243"));
        assertThat(t.find("447700900123", T).cost(97)).isEqualTo(new BigDecimal("0.0889"));
        Files.writeString(dir.resolve("DestinationRates.csv"),
                Files.readString(Samples.RATES.resolve("cgrates/DestinationRates.csv")).replace("*up", "*down"));
        RateTable down = new CgratesRateLoader("cg", "EUR", null).load(dir);
        assertThat(down.find("442079460123", T).cost(146)).isEqualTo(new BigDecimal("0.0243"));
        assertThat(down.find("4930901820", T).cost(184)).isEqualTo(new BigDecimal("0.0440"));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "+442079460123, 4420", "+441865270000, 44", "+447700900123, 447", "+447012345678, 4470",
        "+4915123456789, 49151", "+4915223456789, 49152", "+4915512345678, 4915", "+4930901820, 4930",
        "+4940123456, 49", "+12125550199, 1212", "+12065550147, 1", "+18005550199, 1800", "+5372345678, 537",
        "+5351234567, 535", "+5321234567, 53", "+88213000123, 88213", "+88234567890, 882", "+881612345678, 8816",
        "4930901820, 4930",
    })
    void longestPrefixWins(String callee, String prefix) {
        assertThat(rate("astpp", callee, 60, true).prefix()).isEqualTo(prefix);
    }

    @Test
    void noPrefixOrNoCalleeMeansNoRating() {
        assertThat(rate("astpp", "+74951234567", 60, true)).isNull();
        assertThat(rate("astpp", null, 60, true)).isNull();
        assertThat(rate("astpp", "", 60, true)).isNull();
        assertThat(rate("kazoo", "+46812345678", 60, true)).as("not in the Kazoo deck").isNull();
    }

    @ParameterizedTest(name = "{0} {1}s → {2}s {3}")
    @CsvSource({
        // 4930 Berlin: 60/60 at 0.0110
        "+4930901820, 0, 0, 0.0000", "+4930901820, 1, 60, 0.0110", "+4930901820, 59, 60, 0.0110",
        "+4930901820, 60, 60, 0.0110", "+4930901820, 61, 120, 0.0220", "+4930901820, 3600, 3600, 0.6600",
        "+4930901820, 3601, 3660, 0.6710", "+4930901820, 7200, 7200, 1.3200",
        // 4420 London: 60/1 at 0.0100
        "+442079460123, 1, 60, 0.0100", "+442079460123, 59, 60, 0.0100", "+442079460123, 60, 60, 0.0100",
        "+442079460123, 61, 61, 0.0102", "+442079460123, 3599, 3599, 0.5998",
        // 1 USA: 6/6 at 0.0090
        "+13125550100, 1, 6, 0.0009", "+13125550100, 6, 6, 0.0009", "+13125550100, 7, 12, 0.0018",
        "+13125550100, 61, 66, 0.0099",
        // 46 Sweden: 30/6 at 0.0150
        "+46501234567, 1, 30, 0.0075", "+46501234567, 30, 30, 0.0075", "+46501234567, 31, 36, 0.0090",
        "+46501234567, 61, 66, 0.0165",
        // half-up at exactly half: 63 s × 0.013/60 = 0.01365, 69 s × 0.055/60 = 0.06325
        "+441865270000, 63, 63, 0.0137", "+447700900123, 69, 69, 0.0633",
        // connect fee + blocks; a long call to EMSAT: 0.25 + 60 × 4.90
        "+88213000123, 1, 60, 5.1500", "+88213000123, 3600, 3600, 294.2500",
        // a premium number with a connect fee: 0.50 + 1 × 2.50
        "+19005550100, 30, 60, 3.0000",
    })
    void billingBoundaries(String callee, long seconds, long billed, String cost) {
        Rating r = rate("astpp", callee, seconds, true);
        assertThat(r.billedSeconds()).isEqualTo(billed);
        assertThat(r.cost()).isEqualTo(new BigDecimal(cost));
        assertThat(r.cost().scale()).isEqualTo(4);
    }

    @Test
    void ratingResultDescribesTheRow() {
        Rating r = rate("astpp", "+46812345678", 100, true);
        assertThat(r.prefix()).isEqualTo("468");
        assertThat(r.destination()).isEqualTo("Sweden - Stockholm");
        assertThat(r.ratePerMinute()).isEqualByComparingTo("0.0120");
        assertThat(r.connectFee()).isEqualByComparingTo("0");
        assertThat(r.initialIncrement()).isEqualTo(30);
        assertThat(r.increment()).isEqualTo(6);
        assertThat(r.billedSeconds()).isEqualTo(102);
        assertThat(r.cost()).isEqualTo(new BigDecimal("0.0204"));
    }

    @Test
    void unansweredCallsCostTheConnectFeeOnlyWhenConfigured() throws Exception {
        assertThat(rate("astpp", "+88213000123", 50, false).cost()).isEqualTo(new BigDecimal("0.0000"));
        assertThat(rate("astpp", "+88213000123", 50, false).billedSeconds()).isZero();
        EnricherConfig c = Samples.empty();
        c.rating.enabled = true;
        c.rating.chargeConnectFeeOnFailure = true;
        c.rating.tables.add(Samples.table("astpp", Samples.RATES.resolve("astpp-origination-rates.csv"), "astpp", "USD"));
        try (Enricher e = Enricher.build(c)) {
            assertThat(e.rate(new RateQuery("+88213000123", null, null, null, 0, false, T)).cost())
                    .isEqualTo(new BigDecimal("0.2500"));
            assertThat(e.rate(new RateQuery("+4930901820", null, null, null, 0, false, T)).cost())
                    .isEqualTo(new BigDecimal("0.0000"));
            assertThat(e.rate(RateQuery.answered("+88213000123", 0, T)).cost())
                    .as("answered for 0 s: nothing, as in ASTPP and Kazoo").isEqualTo(new BigDecimal("0.0000"));
        }
    }

    @Test
    void tableSelectionRules(@TempDir Path dir) throws Exception {
        EnricherConfig c = Samples.empty();
        c.rating.enabled = true;
        c.rating.tables.add(Samples.table("retail", Samples.RATES.resolve("astpp-origination-rates.csv"), "astpp", "USD"));
        c.rating.tables.add(Samples.table("wholesale", Samples.RATES.resolve("kazoo-ratedeck.csv"), "kazoo", "EUR"));
        c.rating.tables.add(Samples.table("partner", Samples.RATES.resolve("cgrates"), "cgrates", "GBP"));
        RatingRule bySource = new RatingRule();
        bySource.table = "wholesale";
        bySource.sourceCidrs.add("192.0.2.0/24");
        bySource.sourceCidrs.add("2001:db8::/32");
        RatingRule byDomainAndNode = new RatingRule();
        byDomainAndNode.table = "partner";
        byDomainAndNode.domains.add("*.partner.example");
        byDomainAndNode.domains.add("partner.example");
        byDomainAndNode.nodes.add("sbc-02");
        c.rating.rules.add(bySource);
        c.rating.rules.add(byDomainAndNode);
        c.rating.defaultTable = "retail";
        try (Enricher e = Enricher.build(c)) {
            assertThat(table(e, "192.0.2.10", null, null)).isEqualTo("wholesale");
            assertThat(table(e, "192.0.2.255", "voice.partner.example", "sbc-02")).as("first rule wins").isEqualTo("wholesale");
            assertThat(table(e, "2001:db8::5", null, null)).isEqualTo("wholesale");
            assertThat(table(e, "192.0.3.1", null, null)).isEqualTo("retail");
            assertThat(table(e, "198.51.100.1", "VOICE.Partner.Example", "sbc-02")).isEqualTo("partner");
            assertThat(table(e, "198.51.100.1", "partner.example", "sbc-02")).isEqualTo("partner");
            assertThat(table(e, "198.51.100.1", "partner.example", "sbc-01")).as("every criterion must match").isEqualTo("retail");
            assertThat(table(e, "198.51.100.1", "otherpartner.example", "sbc-02")).isEqualTo("retail");
            assertThat(table(e, null, null, null)).isEqualTo("retail");
            Rating w = e.rate(new RateQuery("+4930901820", IpAddress.parse("192.0.2.10"), null, null, 184, true, T));
            assertThat(w.table()).isEqualTo("wholesale");
            assertThat(w.currency()).isEqualTo("EUR");
        }
    }

    private static String table(Enricher e, String ip, String domain, String node) {
        Rating r = e.rate(new RateQuery("+4930901820", ip == null ? null : IpAddress.parse(ip), domain, node, 60, true, T));
        return r.table();
    }

    @Test
    void ownCsvWithCurrencyValidFromAndIncludedSeconds(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("rates.csv");
        Files.writeString(f, """
                prefix,destination,rate_per_minute,connect_fee,initial_increment,increment,currency,valid_from,included_seconds
                49,Germany,0.0140,0,60,60,EUR,2025-01-01,
                49,Germany,0.0100,0,60,60,EUR,2026-01-01,
                49,Germany,0.0200,0,60,60,EUR,2027-01-01T00:00:00Z,
                4930,Berlin,0.0050,0,60,60,EUR,2026-06-01,
                44,UK,0.0130,0.0500,6,6,GBP,,30
                1,USA,0.0090,,,,,,
                """);
        RateTable t = new CsvRateLoader("own", "USD", 4).load(f);
        assertThat(t.size()).isEqualTo(6);
        assertThat(t.find("+4930901820", Instant.parse("2025-06-01T00:00:00Z")).ratePerMinute()).isEqualByComparingTo("0.0140");
        assertThat(t.find("+4930901820", Instant.parse("2026-01-01T00:00:00Z")).ratePerMinute())
                .as("a row applies from its valid_from on").isEqualByComparingTo("0.0100");
        assertThat(t.find("+4930901820", Instant.parse("2026-05-31T23:59:59Z")).prefix())
                .as("4930 is not valid yet: the shorter prefix applies").isEqualTo("49");
        assertThat(t.find("+4930901820", Instant.parse("2026-06-01T00:00:00Z")).prefix()).isEqualTo("4930");
        assertThat(t.find("+4940123456", Instant.parse("2027-01-01T00:00:00Z")).ratePerMinute()).isEqualByComparingTo("0.0200");
        assertThat(t.find("+4940123456", Instant.parse("2024-12-31T00:00:00Z"))).as("before every row").isNull();

        RateEntry uk = t.find("+442079460123", T);
        assertThat(uk.currency()).isEqualTo("GBP");
        assertThat(uk.cost(20)).as("within included seconds: connect fee only").isEqualTo(new BigDecimal("0.0500"));
        assertThat(uk.billedSeconds(40)).isEqualTo(12);
        assertThat(uk.cost(40)).isEqualTo(new BigDecimal("0.0526"));
        RateEntry us = t.find("+12125550199", T);
        assertThat(us.currency()).as("table default").isEqualTo("USD");
        assertThat(us.initialIncrement()).isEqualTo(1);
        assertThat(us.increment()).isEqualTo(1);
        assertThat(us.cost(61)).isEqualTo(new BigDecimal("0.0092"));
    }

    @Test
    void olderAstppSampleVariants(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("astpp-old.csv");
        Files.writeString(f, "\"Code\",\"Destination\",\"Connect Cost\",\"Included Seconds\",\"Per Minute Cost\","
                + "\"Increment\",\"Precedence\",\"Prepend\",\n"
                + "\"4930\",\"Germany - Berlin\",\"0\",\"0\",\"0.0110\",\"60\",\"1\",\"\",\n"
                + "^44.*,UK,0.05,10,0.0130,6,,,\n"
                + "33,France,0,0,0.0160,0,,,\n");
        RateTable t = new AstppRateLoader("old", "USD", 4).load(f);
        RateEntry berlin = t.find("4930901820", T);
        assertThat(berlin.initialIncrement()).as("no Initial Increment column: one Increment").isEqualTo(60);
        assertThat(berlin.cost(61)).isEqualTo(new BigDecimal("0.0220"));
        RateEntry uk = t.find("442079460123", T);
        assertThat(uk.billedSeconds(25)).as("10 included, then 6 s blocks").isEqualTo(18);
        assertThat(uk.cost(25)).isEqualTo(new BigDecimal("0.0539"));
        assertThat(uk.cost(10)).isEqualTo(new BigDecimal("0.0500"));
        assertThat(t.find("33142685300", T).increment()).as("0 counts as 1 s, as in ASTPP").isEqualTo(1);
    }

    @Test
    void kazooDirectionAndWeight(@TempDir Path dir) throws Exception {
        RateTable in = new KazooRateLoader("in", "EUR", 4, "inbound").load(Samples.RATES.resolve("kazoo-ratedeck.csv"));
        assertThat(in.size()).isEqualTo(1);
        assertThat(in.find("4930901820", T).destination()).isEqualTo("Germany - Berlin (inbound DID)");
        assertThat(in.find("4930901820", T).cost(60)).isEqualTo(new BigDecimal("0.0020"));
        RateTable out = new KazooRateLoader("out", "EUR", 4, null).load(Samples.RATES.resolve("kazoo-ratedeck.csv"));
        assertThat(out.size()).isEqualTo(17);
        assertThat(out.find("4930901820", T).ratePerMinute()).isEqualByComparingTo("0.011");

        Path f = dir.resolve("deck.csv");
        Files.writeString(f, """
                prefix,description,rate_cost,rate_increment,rate_minimum,rate_surcharge,rate_nocharge_time,weight
                44,UK low weight,0.02,60,60,0,0,10
                44,UK high weight,0.01,1,30,0.1,5,20
                """);
        RateEntry uk = new KazooRateLoader("k", "EUR", 4, null).load(f).find("447", T);
        assertThat(uk.destination()).isEqualTo("UK high weight");
        assertThat(uk.cost(5)).as("within rate_nocharge_time: free").isEqualTo(new BigDecimal("0.0000"));
        assertThat(uk.billedSeconds(6)).isEqualTo(30);
        assertThat(uk.cost(6)).isEqualTo(new BigDecimal("0.1050"));
        assertThat(uk.cost(31)).isEqualTo(new BigDecimal("0.1052"));
        Files.writeString(f, "prefix,rate_cost,weight\n44,0.01,10\n44,0.02,10\n");
        assertThatThrownBy(() -> new KazooRateLoader("k", "EUR", 4, null).load(f))
                .isInstanceOfSatisfying(LoadException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.reason()).contains("prefix 44 twice with the same weight 10 (first on line 2)");
                });
    }

    @Test
    void badRowsNameTheirLine(@TempDir Path dir) throws Exception {
        String[][] cases = {
            {"prefix,rate_per_minute\n44,0.01\n44,0.02", "3", "duplicate prefix 44 (first on line 2)"},
            {"prefix,rate_per_minute\n44,abc", "2", "rate_per_minute is not a number: 'abc'"},
            {"prefix,rate_per_minute\n44,-0.01", "2", "rate_per_minute must not be negative: '-0.01'"},
            {"prefix,rate_per_minute\n4a4,0.01", "2", "prefix must be 1..15 digits: '4a4'"},
            {"prefix,rate_per_minute\n44,", "2", "rate_per_minute is empty"},
            {"prefix,rate_per_minute,valid_from\n44,0.01,tomorrow", "2",
                "valid_from is not an ISO-8601 date or date-time: 'tomorrow'"},
            {"prefix,rate_per_minute,increment\n44,0.01,0", "2", "increments must be at least 1 second"},
            {"prefix,rate_per_minute,increment\n44,0.01,6.5", "2", "increment is not a whole number of seconds: '6.5'"},
            {"destination,rate_per_minute\nx,0.01", "1", "missing column 'prefix'"},
            {"prefix,rate_per_minute\n\"44,0.01", "2", "unterminated quoted field"},
        };
        Path f = dir.resolve("bad.csv");
        for (String[] c : cases) {
            Files.writeString(f, c[0] + "\n");
            assertThatThrownBy(() -> new CsvRateLoader("bad", "EUR", 4).load(f)).as(c[0])
                    .isInstanceOfSatisfying(LoadException.class, e -> {
                        assertThat(e.file()).isEqualTo(f);
                        assertThat(e.line()).isEqualTo(Integer.parseInt(c[1]));
                        assertThat(e.reason()).contains(c[2]);
                    });
        }
    }

    @Test
    void cgratesErrors(@TempDir Path dir) throws Exception {
        for (String f : new String[] {"Destinations.csv", "Rates.csv", "DestinationRates.csv", "RatingPlans.csv"}) {
            Files.copy(Samples.RATES.resolve("cgrates").resolve(f), dir.resolve(f));
        }
        assertThat(new CgratesRateLoader("cg", "EUR", "RP_RETAIL").load(dir).size()).isEqualTo(20);
        assertThatThrownBy(() -> new CgratesRateLoader("cg", "EUR", "RP_OTHER").load(dir))
                .hasMessageContaining("rating plan 'RP_OTHER' not found");
        Files.writeString(dir.resolve("RatingPlans.csv"),
                Files.readString(dir.resolve("RatingPlans.csv")) + "RP_RETAIL,DR_UK,PEAK,10\n");
        assertThatThrownBy(() -> new CgratesRateLoader("cg", "EUR", null).load(dir))
                .isInstanceOfSatisfying(LoadException.class, e -> {
                    assertThat(e.file()).isEqualTo(dir.resolve("RatingPlans.csv"));
                    assertThat(e.line()).isEqualTo(19);
                    assertThat(e.reason()).contains("TimingTag 'PEAK' is not supported");
                });
        Files.copy(Samples.RATES.resolve("cgrates/RatingPlans.csv"), dir.resolve("RatingPlans.csv"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve("Rates.csv"), Files.readString(dir.resolve("Rates.csv")).replace("RT_EE,0,0.03,60s,60s,0s",
                "RT_EE,0,0.03,60s,6x,0s"));
        assertThatThrownBy(() -> new CgratesRateLoader("cg", "EUR", null).load(dir))
                .isInstanceOfSatisfying(LoadException.class, e -> {
                    assertThat(e.file()).isEqualTo(dir.resolve("Rates.csv"));
                    assertThat(e.line()).isEqualTo(8);
                    assertThat(e.reason()).contains("RateIncrement has an unknown unit: '6x'");
                });
        assertThatThrownBy(() -> new CgratesRateLoader("cg", "EUR", null).load(dir.resolve("Rates.csv")))
                .hasMessageContaining("is a folder");
    }

    @Test
    void cgratesMaxCostCapsTheCost(@TempDir Path dir) throws Exception {
        for (String f : new String[] {"Destinations.csv", "Rates.csv", "DestinationRates.csv", "RatingPlans.csv"}) {
            Files.copy(Samples.RATES.resolve("cgrates").resolve(f), dir.resolve(f));
        }
        RateEntry emsat = new CgratesRateLoader("cg", "EUR", null).load(dir).find("88213000123", T);
        assertThat(emsat.cost(240)).isEqualTo(new BigDecimal("19.8500"));
        assertThat(emsat.cost(600)).as("0.25 + 10 × 4.90 = 49.25, capped at MaxCost 25").isEqualTo(new BigDecimal("25.0000"));
    }

    @Test
    void brokenTableAtStartFailsTheBuild(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("r.csv");
        Files.writeString(f, "prefix,rate_per_minute\n44,x\n");
        EnricherConfig c = Samples.empty();
        c.rating.enabled = true;
        c.rating.tables.add(Samples.table("t", f, "csv", "EUR"));
        assertThatThrownBy(() -> Enricher.build(c)).isInstanceOf(EnricherException.class)
                .hasMessageContaining("r.csv:2: rate_per_minute is not a number: 'x'");
    }

    /**
     * The cost is the documented formula whichever way it is computed: long arithmetic when every
     * term terminates (6 s blocks of a per-minute rate), 34-digit division otherwise (a 7 s unit,
     * 1/3 of a cent); compared with the formula spelt out with BigDecimal for every rounding mode,
     * connect fees, caps, two slots and values too large for longs.
     */
    @Test
    void costIsTheDocumentedFormulaForTerminatingAndRepeatingTerms() {
        java.util.Random rnd = new java.util.Random(3);
        String[] rates = {"0.0090", "0.7", "2.5000", "0.0000", "0.01", "1", "0.333333333333333333", "123456789.123456789"};
        long[] units = {60, 1, 7, 3600, 45, 6};
        java.math.RoundingMode[] modes = {java.math.RoundingMode.HALF_UP, java.math.RoundingMode.DOWN,
                java.math.RoundingMode.CEILING, java.math.RoundingMode.HALF_EVEN};
        for (int n = 0; n < 20_000; n++) {
            BigDecimal rate = new BigDecimal(rates[rnd.nextInt(rates.length)]);
            BigDecimal rate2 = new BigDecimal(rates[rnd.nextInt(rates.length)]);
            long unit = units[rnd.nextInt(units.length)];
            long inc = 1 + rnd.nextInt(60);
            long secondStart = 1 + rnd.nextInt(120);
            java.util.List<RateSlot> slots = rnd.nextBoolean() ? java.util.List.of(new RateSlot(0, rate, unit, inc))
                    : java.util.List.of(new RateSlot(0, rate, unit, inc), new RateSlot(secondStart, rate2, 60, 1 + rnd.nextInt(10)));
            BigDecimal fee = rnd.nextBoolean() ? BigDecimal.ZERO : new BigDecimal("0.1000");
            BigDecimal cap = rnd.nextInt(4) == 0 ? new BigDecimal("1.5") : null;
            RateEntry e = new RateEntry("1", "x", fee, rnd.nextInt(3) * 30L, rnd.nextInt(2), slots, "USD", null,
                    modes[rnd.nextInt(modes.length)], rnd.nextInt(13), cap);
            long seconds = rnd.nextInt(4000);
            assertThat(e.cost(seconds)).as("%s for %d s", e, seconds).isEqualTo(formula(e, seconds));
        }
    }

    /** The cost formula of {@link RateEntry}'s documentation, term by term with 34-digit division. */
    private static BigDecimal formula(RateEntry e, long seconds) {
        if (seconds <= 0 || seconds <= e.noChargeSeconds()) {
            return BigDecimal.ZERO.setScale(e.decimals(), e.rounding());
        }
        long b = seconds - e.includedSeconds();
        BigDecimal total = e.connectFee();
        long t = 0;
        for (int i = 0; i < e.slots().size() && t < b; i++) {
            RateSlot s = e.slots().get(i);
            long upto = Math.min(b, i + 1 < e.slots().size() ? e.slots().get(i + 1).start() : Long.MAX_VALUE);
            if (upto > t) {
                long charged = -Math.floorDiv(-(upto - t), s.increment()) * s.increment();
                t += charged;
                total = total.add(s.rate().multiply(BigDecimal.valueOf(charged))
                        .divide(BigDecimal.valueOf(s.unitSeconds()), java.math.MathContext.DECIMAL128));
            }
        }
        if (e.maxCost() != null && total.compareTo(e.maxCost()) > 0) {
            total = e.maxCost();
        }
        return total.setScale(e.decimals(), e.rounding());
    }
}
