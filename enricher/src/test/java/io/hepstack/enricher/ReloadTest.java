package io.hepstack.enricher;

import io.hepstack.enricher.rating.RateQuery;
import io.hepstack.enricher.rating.Rating;
import io.hepstack.enricher.reload.LoadStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every kind of watched file is picked up by the FileWatcher's own thread after a change: rate
 * tables in all four formats (CGRateS: a file inside the plan folder), blacklists and GeoIP databases.
 */
class ReloadTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static EnricherConfig fastWatching() {
        EnricherConfig c = Samples.empty();
        c.reloadInterval = io.dropwizard.util.Duration.milliseconds(50);
        return c;
    }

    private static Rating berlin(Enricher e, String table) {
        return e.rate(new RateQuery("+4930901820", null, null, table, 60, true, T));
    }

    private static LoadStatus status(Enricher e, String name) {
        return e.status().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static void awaitVersion(Enricher e, String name, long version) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                .until(() -> status(e, name).version() >= version && status(e, name).lastError() == null);
    }

    @Test
    void rateTablesOfEveryFormatReloadWhenTheirFileChanges(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("own.csv");
        Files.writeString(csv, "prefix,destination,rate_per_minute\n49,Germany,0.0100\n");
        Path astpp = dir.resolve("astpp.csv");
        Files.copy(Samples.RATES.resolve("astpp-origination-rates.csv"), astpp);
        Path kazoo = dir.resolve("kazoo.csv");
        Files.copy(Samples.RATES.resolve("kazoo-ratedeck.csv"), kazoo);
        Path cgrates = dir.resolve("cgrates");
        Files.createDirectory(cgrates);
        for (String f : new String[] {"Destinations.csv", "Rates.csv", "DestinationRates.csv", "RatingPlans.csv"}) {
            Files.copy(Samples.RATES.resolve("cgrates").resolve(f), cgrates.resolve(f));
        }
        EnricherConfig c = fastWatching();
        c.rating.enabled = true;
        c.rating.tables.add(Samples.table("own", csv, "csv", "EUR"));
        c.rating.tables.add(Samples.table("astpp", astpp, "astpp", "EUR"));
        c.rating.tables.add(Samples.table("kazoo", kazoo, "kazoo", "EUR"));
        c.rating.tables.add(Samples.table("cgrates", cgrates, "cgrates", "EUR"));
        for (String t : new String[] {"own", "astpp", "kazoo", "cgrates"}) {
            var rule = new io.hepstack.enricher.rating.RatingRule();
            rule.table = t;
            rule.nodes.add(t);
            c.rating.rules.add(rule);
        }
        try (Enricher e = Enricher.build(c)) {
            List<String> events = new CopyOnWriteArrayList<>();
            e.addReloadListener((s, ok) -> events.add(s.name() + ":" + ok));
            assertThat(berlin(e, "own").cost()).isEqualTo(new BigDecimal("0.0100"));
            assertThat(berlin(e, "astpp").cost()).isEqualTo(new BigDecimal("0.0110"));
            assertThat(berlin(e, "kazoo").cost()).isEqualTo(new BigDecimal("0.0110"));
            assertThat(berlin(e, "cgrates").cost()).isEqualTo(new BigDecimal("0.0110"));

            Files.writeString(csv, "prefix,destination,rate_per_minute\n49,Germany,0.0100\n4930,Berlin,0.0500\n");
            Files.writeString(astpp, Files.readString(astpp).replace("4930,Germany - Berlin,0,0,0.0110,60,60",
                    "4930,Germany - Berlin,0,0,0.02200,60,60"));
            Files.writeString(kazoo, Files.readString(kazoo).replace("4930,DE,Germany - Berlin,outbound,0.011,",
                    "4930,DE,Germany - Berlin,outbound,0.0330,"));
            Files.writeString(cgrates.resolve("Rates.csv"), Files.readString(cgrates.resolve("Rates.csv"))
                    .replace("RT_DE_BERLIN,0,0.011,", "RT_DE_BERLIN,0,0.0440,"));

            awaitVersion(e, "rating.own", 2);
            awaitVersion(e, "rating.astpp", 2);
            awaitVersion(e, "rating.kazoo", 2);
            awaitVersion(e, "rating.cgrates", 2);
            assertThat(berlin(e, "own").prefix()).isEqualTo("4930");
            assertThat(berlin(e, "own").cost()).isEqualTo(new BigDecimal("0.0500"));
            assertThat(berlin(e, "astpp").cost()).isEqualTo(new BigDecimal("0.0220"));
            assertThat(berlin(e, "kazoo").cost()).isEqualTo(new BigDecimal("0.0330"));
            assertThat(berlin(e, "cgrates").cost()).isEqualTo(new BigDecimal("0.0440"));
            assertThat(events).contains("rating.own:true", "rating.astpp:true", "rating.kazoo:true", "rating.cgrates:true");

            // a broken CGRateS file keeps the plan loaded before it, and names the file inside the folder
            Files.writeString(cgrates.resolve("Rates.csv"), Files.readString(cgrates.resolve("Rates.csv"))
                    .replace("RT_DE_BERLIN,0,0.0440,", "RT_DE_BERLIN,0,cheap,"));
            await().atMost(Duration.ofSeconds(15)).until(() -> status(e, "rating.cgrates").lastError() != null);
            LoadStatus s = status(e, "rating.cgrates");
            assertThat(s.lastError()).contains("Rates.csv:16: Rate is not a number: 'cheap'");
            assertThat(s.errorLine()).isEqualTo(16);
            assertThat(berlin(e, "cgrates").cost()).isEqualTo(new BigDecimal("0.0440"));
        }
    }

    @Test
    void blacklistsAndGeoIpDatabasesReloadThroughTheWatcher(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("list.txt");
        Files.writeString(list, "192.0.2.1\n");
        Path city = dir.resolve("city.mmdb");
        Files.copy(Samples.GEOIP.resolve("GeoIP2-Country-Test.mmdb"), city); // wrong type for the city role
        EnricherConfig c = fastWatching();
        c.blacklists.enabled = true;
        c.blacklists.lists.add(Samples.list("own", list, "plain"));
        c.geoip.enabled = true;
        c.geoip.cityDatabase = city.toString();
        try (Enricher e = Enricher.build(c)) {
            assertThat(e.ip("81.2.69.142").geo()).isNull();
            assertThat(e.ip("81.2.69.142").blacklisted()).isFalse();
            assertThat(e.notes()).anySatisfy(n -> assertThat(n).contains("geoip.city").contains("GeoIP2-Country"));

            Path tmp = dir.resolve("city.tmp");
            Files.copy(Samples.GEOIP.resolve("GeoIP2-City-Test.mmdb"), tmp);
            Files.move(tmp, city, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(list, "192.0.2.1\n81.2.69.142/31\n");

            awaitVersion(e, "geoip.city", 1);
            awaitVersion(e, "blacklist.own", 2);
            IpInfo london = e.ip("81.2.69.142");
            assertThat(london.geo().cityName()).isEqualTo("London");
            assertThat(london.blacklists()).singleElement().satisfies(h -> assertThat(h.entry()).isEqualTo("81.2.69.142/31"));
            assertThat(e.notes()).isEmpty();
        }
    }

    @Test
    void reloadAllForcesALoadAndReportsEveryFile(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("list.txt");
        Files.writeString(list, "192.0.2.1\n");
        EnricherConfig c = Samples.empty();
        c.blacklists.enabled = true;
        c.blacklists.lists.add(Samples.list("own", list, "plain"));
        c.rating.enabled = true;
        c.rating.tables.add(Samples.table("astpp", Samples.RATES.resolve("astpp-origination-rates.csv"), "astpp", "EUR"));
        try (Enricher e = Enricher.build(c)) {
            List<LoadStatus> after = e.reloadAll();
            assertThat(after).extracting(LoadStatus::name).containsExactly("rating.astpp", "blacklist.own");
            assertThat(after).extracting(LoadStatus::version).containsExactly(2L, 2L);
            assertThat(after).extracting(LoadStatus::rows).containsExactly(38L, 1L);
            assertThat(after).allSatisfy(s -> assertThat(s.loadedAt()).isNotNull());
        }
    }
}
