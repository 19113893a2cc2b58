package io.hepstack.enricher;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.hepstack.enricher.blacklist.BlacklistListConfig;
import io.hepstack.enricher.number.NumberInfo;
import io.hepstack.enricher.rating.RateQuery;
import io.hepstack.enricher.rating.RateTableConfig;
import io.hepstack.enricher.rating.Rating;
import io.hepstack.enricher.rating.RatingRule;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The configuration binds from YAML as Dropwizard binds it, validates with paths, and builds a working enricher. */
class EnricherConfigTest {

    private static final String YAML = """
            reloadInterval: 2s
            ipCacheSize: 1024
            geoip:
              cityDatabase: ../samples/geoip/GeoIP2-City-Test.mmdb
              asnDatabase: ../samples/geoip/GeoLite2-ASN-Test.mmdb
              locales: [en]
            numbers:
              defaultRegion: DE
              internationalPrefixes: ["00"]
              nationalPrefix: "0"
              stripPrefixes: ["*31#"]
              rewriteRules:
                - match: "^9(0\\\\d+)$"
                  replace: "$1"
            rating:
              defaultTable: retail
              chargeConnectFeeOnFailure: false
              tables:
                - name: retail
                  file: ../samples/rates/astpp-origination-rates.csv
                  format: astpp
                  currency: EUR
                - name: partner
                  file: ../samples/rates/cgrates
                  format: cgrates
                  ratingPlan: RP_RETAIL
              rules:
                - table: partner
                  sourceCidrs: [198.51.100.0/24]
            blacklists:
              lists:
                - name: voipbl
                  file: ../samples/blacklist/firehol-voipbl-sample.netset
                - name: cins
                  file: ../samples/blacklist/ci-badguys.txt
                  format: plain
                  category: attacks
            dnsbl:
              enabled: false
              timeout: 500ms
              cacheTtl: 30m
            """;

    private static ObjectMapper yaml() {
        return new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @Test
    void bindsFromYamlAndBuildsAWorkingEnricher() throws Exception {
        EnricherConfig c = yaml().readValue(YAML, EnricherConfig.class);
        assertThat(c.reloadInterval.toSeconds()).isEqualTo(2);
        assertThat(c.dnsbl.timeout.toMilliseconds()).isEqualTo(500);
        assertThat(c.dnsbl.cacheTtl.toMinutes()).isEqualTo(30);
        assertThat(c.numbers.rewriteRules.get(0).match).isEqualTo("^9(0\\d+)$");
        assertThat(c.rating.tables.get(1).ratingPlan).isEqualTo("RP_RETAIL");
        assertThat(c.validate()).isEmpty();

        try (Enricher e = Enricher.build(c)) {
            // hepgen call 5: from 175.16.199.10 (Changchun, on voipbl) to +447700900123 for 97 s
            IpInfo caller = e.ip("175.16.199.10");
            assertThat(caller.geo().cityName()).isEqualTo("Changchun");
            assertThat(caller.blacklists()).extracting(h -> h.list()).containsExactly("voipbl");
            NumberInfo callee = e.number("sip:0044 7700 900123@sbc.example.net");
            assertThat(callee.e164()).isEqualTo("+447700900123");
            Rating r = e.rate(new RateQuery(callee.e164(), caller.address(), "sbc.example.net", "hepgen-01", 97, true,
                    Instant.parse("2026-01-01T00:00:05Z")));
            assertThat(r.table()).isEqualTo("retail");
            assertThat(r.cost()).isEqualTo(new BigDecimal("0.0889"));
            assertThat(r.currency()).isEqualTo("EUR");
            Rating partner = e.rate(new RateQuery("+447700900123", io.hepstack.enricher.net.IpAddress.parse("198.51.100.23"),
                    null, null, 97, true, null));
            assertThat(partner.table()).isEqualTo("partner");
            assertThat(partner.currency()).as("default currency").isEqualTo("USD");
            assertThat(e.status()).hasSize(6).allSatisfy(s -> assertThat(s.healthy()).isTrue());
            assertThat(e.notes()).isEmpty();
            assertThat(e.dnsbl(caller.address())).as("dnsbl is off").isNull();
        }
    }

    @Test
    void unknownKeysAreRejectedByTheBinding() {
        assertThatThrownBy(() -> yaml().readValue("geoip:\n  cityDb: x\n", EnricherConfig.class))
                .isInstanceOf(UnrecognizedPropertyException.class).hasMessageContaining("cityDb");
    }

    @Test
    void defaultsAreUsable() {
        EnricherConfig c = new EnricherConfig();
        assertThat(c.reloadInterval.toSeconds()).isEqualTo(5);
        assertThat(c.numbers.internationalPrefixes).containsExactly("00");
        assertThat(c.dnsbl.enabled).isFalse();
        assertThat(c.rating.chargeConnectFeeOnFailure).isFalse();
        assertThat(new RateTableConfig().decimals).isEqualTo(4);
        assertThat(c.validate()).containsExactly(
                "geoip.database is missing: geoip is enabled but names no database (cityDatabase, countryDatabase, asnDatabase)");
    }

    @Test
    void everyProblemIsListedWithItsPath() {
        EnricherConfig c = Samples.empty();
        c.reloadInterval = io.dropwizard.util.Duration.seconds(0);
        c.rating.enabled = true;
        RateTableConfig t = Samples.table("t", Samples.RATES.resolve("x.csv"), "xls", "euro");
        RateTableConfig dup = Samples.table("t", Samples.RATES.resolve("y.csv"), "csv", "EUR");
        dup.file = null;
        c.rating.tables.add(t);
        c.rating.tables.add(dup);
        c.rating.defaultTable = "nope";
        RatingRule r = new RatingRule();
        r.table = "t";
        r.sourceCidrs.add("192.0.2.1/24");
        c.rating.rules.add(r);
        c.blacklists.enabled = true;
        BlacklistListConfig l = Samples.list("l", Samples.BLACKLIST.resolve("ci-badguys.txt"), "pdf");
        c.blacklists.lists.add(l);
        c.dnsbl.enabled = true;
        // Bean Validation: "path message", sorted by path; the YAML line is added by Dropwizard at start-up
        assertThat(c.validate()).containsExactly(
                "blacklists.lists[0].formatKnown is unknown: format must be auto, netset, ipset, plain or csv",
                "dnsbl.zoneList is empty: dnsbl is enabled but has no zones",
                "rating.defaultTableConfigured is not a configured table: rating.defaultTable must name one of rating.tables",
                "rating.rules[0].cidrs are not all valid: sourceCidrs must be networks such as 192.0.2.0/24, without host bits",
                "rating.tableNames are not unique: two rating.tables have the same name",
                "rating.tables[0].currency must be an ISO 4217 code such as EUR",
                "rating.tables[0].formatKnown is unknown: format must be csv, astpp, kazoo or cgrates",
                "rating.tables[1].file is empty",
                "reloadInterval must be positive");
        assertThatThrownBy(() -> Enricher.build(c)).isInstanceOf(EnricherException.class)
                .satisfies(e -> assertThat(((EnricherException) e).problems()).hasSize(9))
                .hasMessageStartingWith("enricher configuration: blacklists.lists[0].formatKnown is unknown")
                .hasMessageContaining("reloadInterval must be positive");
    }

    @Test
    void sectionLimitsAreConstraintsToo() {
        EnricherConfig c = Samples.empty();
        c.ipCacheSize = -1;
        c.dnsbl.maxConcurrent = 0;
        c.dnsbl.maxQueued = -1;
        c.dnsbl.cacheSize = 0;
        c.dnsbl.timeout = io.dropwizard.util.Duration.milliseconds(0);
        c.numbers.cacheSize = -1;
        c.blacklists.lists.add(null);
        assertThat(c.validate()).containsExactly(
                "blacklists.lists[0].<list element> is empty",
                "dnsbl.cacheSize must be greater than or equal to 1",
                "dnsbl.maxConcurrent must be greater than or equal to 1",
                "dnsbl.maxQueued must be greater than or equal to 0",
                "dnsbl.timeout must be positive",
                "ipCacheSize must be greater than or equal to 0",
                "numbers.cacheSize must be greater than or equal to 0");
    }
}
