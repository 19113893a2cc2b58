package io.hepstack.enricher.geo;

import io.hepstack.enricher.Enricher;
import io.hepstack.enricher.EnricherConfig;
import io.hepstack.enricher.IpInfo;
import io.hepstack.enricher.Samples;
import io.hepstack.enricher.net.IpScope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Known answers from MaxMind's test databases (testdata/SOURCES.md "geoip/", checked there with mmdblookup). */
class GeoIpTest {

    private static Enricher enricher;

    @BeforeAll
    static void start() throws Exception {
        EnricherConfig c = Samples.empty();
        c.geoip.enabled = true;
        c.geoip.cityDatabase = Samples.GEOIP.resolve("GeoIP2-City-Test.mmdb").toString();
        c.geoip.countryDatabase = Samples.GEOIP.resolve("GeoIP2-Country-Test.mmdb").toString();
        c.geoip.asnDatabase = Samples.GEOIP.resolve("GeoLite2-ASN-Test.mmdb").toString();
        enricher = Enricher.build(c);
    }

    @AfterAll
    static void stop() {
        enricher.close();
    }

    @ParameterizedTest(name = "{0} → {3}, {1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // ip            | city      | region  | country | name           | lat      | lon       | time zone           | postal
        "81.2.69.142     | London    | GB-ENG  | GB      | United Kingdom | 51.5142  | -0.0931   | Europe/London       | -",
        "89.160.20.112   | Linköping | SE-E    | SE      | Sweden         | 58.4167  | 15.6167   | Europe/Stockholm    | -",
        "216.160.83.56   | Milton    | US-WA   | US      | United States  | 47.2513  | -122.3149 | America/Los_Angeles | 98354",
        "2.125.160.216   | Boxford   | GB-WBK  | GB      | United Kingdom | 51.75    | -1.25     | Europe/London       | OX1",
        "175.16.199.10   | Changchun | CN-22   | CN      | China          | 43.88    | 125.3228  | Asia/Harbin         | -",
        "2001:218::1     | -         | -       | JP      | Japan          | 35.68536 | 139.75309 | Asia/Tokyo          | -",
        "67.43.156.1     | -         | -       | BT      | Bhutan         | 27.5     | 90.5      | Asia/Thimphu        | -",
    })
    void cityDatabase(String ip, String city, String region, String iso, String country, double lat, double lon,
                      String tz, String postal) {
        IpInfo info = enricher.ip(ip);
        assertThat(info.scope()).isEqualTo(IpScope.PUBLIC);
        GeoInfo g = info.geo();
        assertThat(g).isNotNull();
        assertThat(g.cityName()).isEqualTo(city);
        assertThat(g.regionIsoCode()).isEqualTo(region);
        assertThat(g.countryIsoCode()).isEqualTo(iso);
        assertThat(g.countryName()).isEqualTo(country);
        assertThat(g.latitude()).isCloseTo(lat, within(1e-6));
        assertThat(g.longitude()).isCloseTo(lon, within(1e-6));
        assertThat(g.timezone()).isEqualTo(tz);
        assertThat(g.postalCode()).isEqualTo(postal);
    }

    @Test
    void continentAndRegionNames() {
        GeoInfo london = enricher.ip("81.2.69.142").geo();
        assertThat(london.continentCode()).isEqualTo("EU");
        assertThat(london.regionName()).isEqualTo("England");
        assertThat(enricher.ip("216.160.83.56").geo().regionName()).isEqualTo("Washington");
        assertThat(enricher.ip("216.160.83.56").geo().continentCode()).isEqualTo("NA");
    }

    @ParameterizedTest(name = "{0} → AS{1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "89.160.20.112 | 29518 | Bredband2 AB",
        "216.160.83.56 | 209   | -",
        "1.128.0.1     | 1221  | Telstra Pty Ltd",
        "12.81.92.20   | 7018  | AT&T Services",
        "149.101.100.1 | 6167  | CELLCO-PART",
        "2600:6000::1  | 237   | Merit Network Inc.",
    })
    void asnDatabase(String ip, long number, String org) {
        AsInfo as = enricher.ip(ip).as();
        assertThat(as).isNotNull();
        assertThat(as.number()).isEqualTo(number);
        assertThat(as.organizationName()).isEqualTo(org);
    }

    @Test
    void notFoundInTheDatabasesGivesNoGeoAndNoAs() {
        assertThat(enricher.ip("81.2.69.142").as()).isNull(); // in City, not in ASN
        assertThat(enricher.ip("1.128.0.1").geo()).isNull();  // in ASN, not in City
        IpInfo unknown = enricher.ip("8.8.8.8");
        assertThat(unknown.scope()).isEqualTo(IpScope.PUBLIC);
        assertThat(unknown.geo()).isNull();
        assertThat(unknown.as()).isNull();
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "192.0.2.10, DOCUMENTATION", "198.51.100.23, DOCUMENTATION", "203.0.113.127, DOCUMENTATION",
        "2001:db8:dead:beef::1, DOCUMENTATION", "127.0.0.1, LOOPBACK", "::1, LOOPBACK", "10.0.0.241, PRIVATE",
        "172.16.5.4, PRIVATE", "192.168.1.1, PRIVATE", "100.64.12.7, PRIVATE", "fd00::1, PRIVATE",
        "169.254.1.1, LINK_LOCAL", "fe80::1, LINK_LOCAL", "224.0.0.1, MULTICAST", "ff02::1, MULTICAST",
        "0.1.0.1, RESERVED", "240.0.0.1, RESERVED", "255.255.255.255, RESERVED", "198.18.0.1, RESERVED",
        "3fff:0fff::1, DOCUMENTATION", "100::1, RESERVED", "::, RESERVED", "4000::1, RESERVED", "192.0.0.8, RESERVED",
    })
    void specialRangesAreMarkedAndNotLookedUp(String ip, IpScope scope) {
        IpInfo info = enricher.ip(ip);
        assertThat(info.scope()).isEqualTo(scope);
        assertThat(info.geo()).isNull();
        assertThat(info.as()).isNull();
    }

    @Test
    void bytesAndIpv4MappedIpv6GiveTheSameAnswer() {
        IpInfo bytes = enricher.ip(new byte[] {81, 2, 69, (byte) 142});
        IpInfo mapped = enricher.ip("::ffff:81.2.69.142");
        assertThat(bytes.geo().cityName()).isEqualTo("London");
        assertThat(mapped.ip()).isEqualTo("81.2.69.142");
        assertThat(mapped.geo()).isEqualTo(bytes.geo());
        assertThat(enricher.ip("sbc.example.net")).as("names are never resolved").isNull();
        assertThat(enricher.ip(new byte[5])).isNull();
    }

    @Test
    void repeatedLookupsComeFromTheCache() {
        long hits = enricher.ipCache().hits();
        IpInfo first = enricher.ip("89.160.20.112");
        IpInfo second = enricher.ip("89.160.20.112");
        assertThat(second).isSameAs(first);
        assertThat(enricher.ipCache().hits()).isGreaterThan(hits);
    }

    @Test
    void countryDatabaseIsTheFallbackWithoutCity() throws Exception {
        EnricherConfig c = Samples.empty();
        c.geoip.enabled = true;
        c.geoip.cityDatabase = "does/not/exist/GeoIP2-City.mmdb";
        c.geoip.countryDatabase = Samples.GEOIP.resolve("GeoIP2-Country-Test.mmdb").toString();
        try (Enricher e = Enricher.build(c)) {
            GeoInfo g = e.ip("81.2.69.142").geo();
            assertThat(g.countryIsoCode()).isEqualTo("GB");
            assertThat(g.cityName()).isNull();
            assertThat(e.ip("2001:218::1").geo().countryIsoCode()).isEqualTo("JP");
            assertThat(e.notes()).anySatisfy(n -> assertThat(n).contains("geoip.city").contains("not loaded")
                    .contains("file not found"));
        }
    }

    @Test
    void missingDatabaseDisablesGeoWithANoteAndLoadsWhenTheFileAppears(@TempDir Path dir) throws Exception {
        Path city = dir.resolve("city.mmdb");
        EnricherConfig c = Samples.empty();
        c.geoip.enabled = true;
        c.geoip.cityDatabase = city.toString();
        try (Enricher e = Enricher.build(c)) {
            assertThat(e.ip("81.2.69.142").geo()).isNull();
            assertThat(e.notes()).anySatisfy(n -> assertThat(n).contains("geoip.city: not loaded"));
            assertThat(e.notes()).anySatisfy(n -> assertThat(n).contains("no City or Country database"));
            assertThat(e.status().get(0).healthy()).isFalse();

            Files.copy(Samples.GEOIP.resolve("GeoIP2-City-Test.mmdb"), city);
            e.checkForChanges();

            assertThat(e.ip("81.2.69.142").geo().cityName()).as("cache invalidated by the load").isEqualTo("London");
            assertThat(e.notes()).isEmpty();
            assertThat(e.status().get(0).healthy()).isTrue();
        }
    }

    @Test
    void aDatabaseOfTheWrongTypeIsRefused() throws Exception {
        EnricherConfig c = Samples.empty();
        c.geoip.enabled = true;
        c.geoip.cityDatabase = Samples.GEOIP.resolve("GeoLite2-ASN-Test.mmdb").toString();
        try (Enricher e = Enricher.build(c)) {
            assertThat(e.ip("81.2.69.142").geo()).isNull();
            assertThat(e.status().get(0).lastError()).contains("GeoLite2-ASN").contains("city database");
        }
    }

    @Test
    void ispDatabaseCanServeAsTheAsnDatabase() throws Exception {
        EnricherConfig c = Samples.empty();
        c.geoip.enabled = true;
        c.geoip.asnDatabase = Samples.GEOIP.resolve("GeoIP2-ISP-Test.mmdb").toString();
        try (Enricher e = Enricher.build(c)) {
            assertThat(e.status().get(0).healthy()).isTrue();
            assertThat(e.ip("1.128.0.1").as().number()).isEqualTo(1221);
        }
    }
}
