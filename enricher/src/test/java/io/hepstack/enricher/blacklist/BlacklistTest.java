package io.hepstack.enricher.blacklist;

import io.hepstack.enricher.Enricher;
import io.hepstack.enricher.EnricherConfig;
import io.hepstack.enricher.EnricherException;
import io.hepstack.enricher.IpInfo;
import io.hepstack.enricher.Samples;
import io.hepstack.enricher.net.IpAddress;
import io.hepstack.enricher.reload.LoadException;
import io.hepstack.enricher.reload.LoadStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sample lists and their "Expected lookups" (testdata/SOURCES.md "blacklist/"), formats, errors, reload. */
class BlacklistTest {

    private static Enricher enricher;

    @BeforeAll
    static void start() throws Exception {
        enricher = Enricher.build(fourLists(Samples.BLACKLIST));
    }

    @AfterAll
    static void stop() {
        enricher.close();
    }

    static EnricherConfig fourLists(Path dir) {
        EnricherConfig c = Samples.empty();
        c.blacklists.enabled = true;
        c.blacklists.lists.add(Samples.list("voipbl", dir.resolve("firehol-voipbl-sample.netset"), "auto"));
        c.blacklists.lists.add(Samples.list("blocklist_de_sip", dir.resolve("firehol-blocklist_de_sip-sample.ipset"), "auto"));
        BlacklistListConfig raw = Samples.list("blocklist_de_raw", dir.resolve("blocklist_de-sip.txt"), "plain");
        raw.category = "voip";
        raw.source = "blocklist.de";
        c.blacklists.lists.add(raw);
        c.blacklists.lists.add(Samples.list("cins", dir.resolve("ci-badguys.txt"), "plain"));
        return c;
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
        "175.16.199.10         | voipbl",
        "216.160.83.56         | blocklist_de_sip blocklist_de_raw",
        "89.160.20.112         | cins",
        "198.51.100.23         | voipbl blocklist_de_sip blocklist_de_raw cins",
        "2001:db8:dead:beef::1 | blocklist_de_raw",
        "192.0.2.35            | voipbl",
        "203.0.113.127         | voipbl",
        "203.0.113.128         | ''",
        "12.81.92.20           | ''",
        "12.81.92.21           | blocklist_de_sip blocklist_de_raw",
        "81.2.69.142           | ''",
        "2.125.160.216         | ''",
        "192.0.2.10            | ''",
        "127.0.0.1             | ''",
        // CIDR edges of voipbl's 192.0.2.128/26, 198.51.100.64/27, 192.0.2.34/31 and 192.0.2.40/29
        "192.0.2.127           | ''",
        "192.0.2.128           | voipbl",
        "192.0.2.191           | voipbl",
        "192.0.2.192           | ''",
        "198.51.100.63         | ''",
        "198.51.100.64         | voipbl",
        "198.51.100.95         | voipbl",
        "198.51.100.96         | ''",
        "192.0.2.33            | voipbl",
        "192.0.2.34            | voipbl",
        "192.0.2.37            | ''",
        "192.0.2.39            | ''",
        "192.0.2.47            | voipbl",
        "192.0.2.48            | ''",
        // private and bogus entries real lists carry are found too (no scope filter on blacklists)
        "10.0.0.241            | voipbl",
        "100.64.3.3            | cins",
        "2001:db8:5060::7      | blocklist_de_raw",
        "2001:db8:5060::8      | ''",
    })
    void expectedLookups(String ip, String lists) {
        IpInfo info = enricher.ip(ip);
        List<String> names = info.blacklists().stream().map(BlacklistHit::list).toList();
        assertThat(String.join(" ", names)).isEqualTo(lists);
        assertThat(info.blacklisted()).isEqualTo(!lists.isEmpty());
    }

    @Test
    void hitsCarryTheMatchedEntryAndTheHeaderOfTheirList() {
        List<BlacklistHit> hits = enricher.ip("198.51.100.23").blacklists();
        BlacklistHit voipbl = hits.get(0);
        assertThat(voipbl.entry()).isEqualTo("198.51.100.23");
        assertThat(voipbl.category()).isEqualTo("attacks");
        assertThat(voipbl.source()).isEqualTo("VoIPBL.org");
        assertThat(voipbl.sourceDate()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        BlacklistHit raw = hits.get(2);
        assertThat(raw.category()).as("from config: the raw list has no header").isEqualTo("voip");
        assertThat(raw.source()).isEqualTo("blocklist.de");
        assertThat(raw.sourceDate()).isNull();
        BlacklistHit cins = hits.get(3);
        assertThat(cins.category()).isNull();

        assertThat(enricher.ip("175.16.199.10").blacklists().get(0).entry()).isEqualTo("175.16.199.0/24");
        assertThat(enricher.ip("203.0.113.127").blacklists().get(0).entry()).isEqualTo("203.0.113.0/25");
        assertThat(enricher.ip("192.0.2.35").blacklists().get(0).entry()).isEqualTo("192.0.2.34/31");
    }

    @Test
    void rowCountsAndHeaderVersionAreReported() {
        assertThat(enricher.status()).extracting(LoadStatus::name, LoadStatus::rows).containsExactly(
                org.assertj.core.groups.Tuple.tuple("blacklist.voipbl", 30L),
                org.assertj.core.groups.Tuple.tuple("blacklist.blocklist_de_sip", 24L),
                org.assertj.core.groups.Tuple.tuple("blacklist.blocklist_de_raw", 27L),
                org.assertj.core.groups.Tuple.tuple("blacklist.cins", 28L));
        assertThat(enricher.status()).allSatisfy(s -> assertThat(s.healthy()).isTrue());
    }

    @Test
    void fireholHeaderIsParsed() throws Exception {
        IpList l = new IpListLoader("voipbl", ListFormat.AUTO, null, null)
                .load(Samples.BLACKLIST.resolve("firehol-voipbl-sample.netset"));
        assertThat(l.version()).isEqualTo("3");
        assertThat(l.category()).isEqualTo("attacks");
        assertThat(l.header()).containsEntry("List source URL", "http://www.voipbl.org/update/")
                .containsEntry("Entries", "30 subnets, 534 unique IPs");
        IpList ipset = new IpListLoader("bl", ListFormat.AUTO, null, null)
                .load(Samples.BLACKLIST.resolve("firehol-blocklist_de_sip-sample.ipset"));
        assertThat(ipset.version()).isEqualTo("311");
        assertThat(ipset.sourceDate()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void brokenSampleIsRejectedAtItsFirstBadLine() {
        Path broken = Samples.BLACKLIST.resolve("firehol-broken-sample.netset");
        assertThatThrownBy(() -> new IpListLoader("x", ListFormat.NETSET, null, null).load(broken))
                .isInstanceOfSatisfying(LoadException.class, e -> {
                    assertThat(e.file()).isEqualTo(broken);
                    assertThat(e.line()).isEqualTo(5);
                    assertThat(e.reason()).isEqualTo("not an IPv4 or IPv6 address: '192.0.2.256' (and 5 more bad lines)");
                });
    }

    @ParameterizedTest(name = "''{0}'' → {1}")
    @CsvSource(delimiter = '|', value = {
        "192.0.2.256       | not an IPv4 or IPv6 address: '192.0.2.256'",
        "198.51.100.0/33   | prefix length /33 is out of range for IPv4 (0..32)",
        "not-an-ip         | not an IPv4 or IPv6 address: 'not-an-ip'",
        "2001:db8::/129    | prefix length /129 is out of range for IPv6 (0..128)",
        "192.0.2.2/24      | host bits set: 192.0.2.2/24 (network address would be 192.0.2.0/24)",
        "-1.2.3.4          | not an IPv4 or IPv6 address: '-1.2.3.4'",
        "192.0.2.1 192.0.2.2 | unexpected text after the address: '192.0.2.1 192.0.2.2'",
        "192.0.2.0/        | prefix length is not a number: ''",
        "010.0.0.1         | not an IPv4 or IPv6 address: '010.0.0.1'",
    })
    void eachBrokenLineHasItsReason(String line, String reason, @TempDir Path dir) throws Exception {
        Path f = dir.resolve("one.netset");
        Files.writeString(f, "# ok\n192.0.2.1\n" + line + "\n");
        assertThatThrownBy(() -> new IpListLoader("x", ListFormat.NETSET, null, null).load(f))
                .isInstanceOfSatisfying(LoadException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.reason()).isEqualTo(reason);
                });
    }

    @Test
    void toleratedLinesOfTheBrokenSampleLoadOnTheirOwn(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ok.netset");
        Files.write(f, ("\uFEFF#\n# comment\n192.0.2.1\n203.0.113.0/24 # trailing comment\n\n   198.51.100.9   \n"
                + "10.0.0.0/8\r\n\t\n2001:db8::/32 ; why\n192.0.2.1\n").getBytes(StandardCharsets.UTF_8));
        IpList l = new IpListLoader("ok", ListFormat.NETSET, null, null).load(f);
        assertThat(l.size()).as("the duplicate 192.0.2.1 counts once").isEqualTo(5);
        assertThat(l.find(IpAddress.parse("203.0.113.200")).entry()).isEqualTo("203.0.113.0/24");
        assertThat(l.find(IpAddress.parse("198.51.100.9"))).isNotNull();
        assertThat(l.find(IpAddress.parse("10.200.0.1")).entry()).isEqualTo("10.0.0.0/8");
        assertThat(l.find(IpAddress.parse("2001:db8:ffff::1")).entry()).isEqualTo("2001:db8::/32");
    }

    @Test
    void ipsetTakesSingleAddressesOnly(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("l.ipset");
        Files.writeString(f, "# ipv4 hash:ip ipset\n192.0.2.1\n192.0.2.0/24\n");
        assertThatThrownBy(() -> new IpListLoader("x", ListFormat.AUTO, null, null).load(f))
                .isInstanceOfSatisfying(LoadException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.reason()).contains("hash:ip");
                });
        Files.writeString(f, "192.0.2.1\n192.0.2.0/24\n");
        assertThatThrownBy(() -> new IpListLoader("x", ListFormat.IPSET, null, null).load(f)).isInstanceOf(LoadException.class);
        assertThat(new IpListLoader("x", ListFormat.NETSET, null, null).load(f).size()).isEqualTo(2);
    }

    @Test
    void csvListCarriesPerRowSourceCategoryAndDates(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("seen.csv");
        Files.writeString(f, """
                ip,source,category,first_seen,last_seen
                # honeypot export
                192.0.2.1,honeypot-fra,sip-scanner,2026-01-01,2026-01-02T10:00:00Z
                2001:db8::/48,"honeypot, ams",,2025-12-31T23:00:00+01:00,
                198.51.100.0/24,,,,
                """);
        IpList l = new IpListLoader("seen", ListFormat.AUTO, "attacks", "own").load(f);
        BlacklistHit a = l.find(IpAddress.parse("192.0.2.1"));
        assertThat(a).isEqualTo(new BlacklistHit("seen", "sip-scanner", "honeypot-fra", null, "192.0.2.1",
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-02T10:00:00Z")));
        BlacklistHit b = l.find(IpAddress.parse("2001:db8:0:ffff::1"));
        assertThat(b.source()).isEqualTo("honeypot, ams");
        assertThat(b.category()).as("empty cell: the configured category").isEqualTo("attacks");
        assertThat(b.firstSeen()).isEqualTo(Instant.parse("2025-12-31T22:00:00Z"));
        assertThat(b.lastSeen()).isNull();
        assertThat(l.find(IpAddress.parse("198.51.100.77")).source()).isEqualTo("own");
        assertThat(l.find(IpAddress.parse("2001:db8:1::1"))).isNull();

        Files.writeString(f, "ip,first_seen\n192.0.2.1,yesterday\n");
        assertThatThrownBy(() -> new IpListLoader("seen", ListFormat.CSV, null, null).load(f))
                .isInstanceOfSatisfying(LoadException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.reason()).contains("bad date 'yesterday'");
                });
        Files.writeString(f, "address_of_host,source\n192.0.2.1,x\n");
        assertThatThrownBy(() -> new IpListLoader("seen", ListFormat.CSV, null, null).load(f))
                .hasMessageContaining("no 'ip' (or 'cidr') column");
    }

    @Test
    void brokenFileAtStartFailsTheBuildWithFileAndLine() {
        EnricherConfig c = Samples.empty();
        c.blacklists.enabled = true;
        c.blacklists.lists.add(Samples.list("broken", Samples.BLACKLIST.resolve("firehol-broken-sample.netset"), "auto"));
        assertThatThrownBy(() -> Enricher.build(c)).isInstanceOf(EnricherException.class)
                .hasMessageContaining("firehol-broken-sample.netset:5: not an IPv4 or IPv6 address: '192.0.2.256'");
    }

    @Test
    void brokenReplacementKeepsTheOldListAndAFixLoadsTheNewOne(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("voipbl.netset");
        Files.copy(Samples.BLACKLIST.resolve("firehol-voipbl-sample.netset"), list);
        EnricherConfig c = Samples.empty();
        c.blacklists.enabled = true;
        c.blacklists.lists.add(Samples.list("voipbl", list, "auto"));
        try (Enricher e = Enricher.build(c)) {
            List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            e.addReloadListener((s, ok) -> events.add(s.name() + (ok ? " ok" : " failed")));
            assertThat(e.ip("175.16.199.10").blacklisted()).isTrue();

            Files.copy(Samples.BLACKLIST.resolve("firehol-broken-sample.netset"), list,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            e.checkForChanges();

            LoadStatus s = e.status().get(0);
            assertThat(s.version()).isEqualTo(1);
            assertThat(s.rows()).isEqualTo(30);
            assertThat(s.errorLine()).isEqualTo(5);
            assertThat(s.lastError()).contains(list.toString() + ":5: not an IPv4 or IPv6 address: '192.0.2.256'");
            assertThat(s.failures()).isEqualTo(1);
            assertThat(e.notes()).singleElement().asString().contains("keeping version 1");
            assertThat(e.ip("175.16.199.10").blacklisted()).as("old version still active").isTrue();
            assertThat(e.ip("192.0.2.1").blacklisted()).isFalse();

            Files.writeString(list, "# fixed\n192.0.2.1\n203.0.113.0/24\n");
            e.checkForChanges();

            s = e.status().get(0);
            assertThat(s.version()).isEqualTo(2);
            assertThat(s.rows()).isEqualTo(2);
            assertThat(s.lastError()).isNull();
            assertThat(e.notes()).isEmpty();
            assertThat(e.ip("175.16.199.10").blacklisted()).as("cached answer dropped on reload").isFalse();
            assertThat(e.ip("192.0.2.1").blacklisted()).isTrue();
            assertThat(events).containsExactly("blacklist.voipbl failed", "blacklist.voipbl ok");
        }
    }
}
