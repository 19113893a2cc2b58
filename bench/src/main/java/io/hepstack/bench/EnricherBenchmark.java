package io.hepstack.bench;

import io.hepstack.enricher.Enricher;
import io.hepstack.enricher.EnricherConfig;
import io.hepstack.enricher.IpInfo;
import io.hepstack.enricher.blacklist.BlacklistListConfig;
import io.hepstack.enricher.net.IpAddress;
import io.hepstack.enricher.number.NumberInfo;
import io.hepstack.enricher.rating.RateQuery;
import io.hepstack.enricher.rating.RateTableConfig;
import io.hepstack.enricher.rating.Rating;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cost of the enrichment the hot path does, on the sample data shipped in the repository
 * (MaxMind test databases, the ASTPP sample table, the four sample blacklists).
 *
 * <p>Per lookup: an address from the cache and uncached (GeoIP City + ASN + 4 blacklists), a number
 * from the cache and uncached (libphonenumber parse, validation, type, geocoder, carrier), a blacklist
 * check alone, the rating of a call. Per message: what one SIP message needs (source and destination
 * address from raw bytes, From and To numbers), and per call the same plus the rating.
 *
 * <p>Run from the repository root: {@code java -jar bench/target/benchmarks.jar EnricherBenchmark}
 * (samples are looked up in {@code samples/} or {@code ../samples/}, or {@code -Dhepstack.samples=DIR}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EnricherBenchmark {

    /** Callers of hepgen-20calls.pcap and other addresses: public (in the test databases or not), listed, private. */
    private static final String[] IPS = {
        "81.2.69.142", "89.160.20.112", "216.160.83.56", "2.125.160.216", "175.16.199.10", "12.81.92.20",
        "2001:218::1", "198.51.100.23", "192.0.2.10", "10.0.0.241", "8.8.8.8", "2600:6000::1",
        "67.43.156.1", "1.128.0.1", "203.0.113.127", "149.101.100.1",
    };
    /** Numbers as SIP carries them (From/To/R-URI users) in the hepgen calls. */
    private static final String[] NUMBERS = {
        "sip:+442071838750@sbc.example.net", "sip:+442079460123@sbc.example.net;user=phone",
        "sip:+46812345678@sbc.example.net", "sip:+4915123456789@sbc.example.net",
        "sip:+12065550147@sbc.example.net", "sip:+33142685300@sbc.example.net",
        "sip:+8643188881234@sbc.example.net", "sip:+447700900123@sbc.example.net",
        "sip:+12125550199@sbc.example.net", "sip:+88213000123@sbc.example.net",
        "sip:+3727123456@sbc.example.net", "sip:+861012345678@sbc.example.net",
        "sip:+4930901820@sbc.example.net", "sip:+5372345678@sbc.example.net",
        "sip:alice@example.com", "tel:+1-212-555-0199",
    };
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private Enricher cached;
    private Enricher uncached;
    private Enricher blacklistsOnly;
    private IpAddress[] addresses;
    private byte[][] rawAddresses;
    private RateQuery[] calls;
    private int i;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path samples = samples();
        cached = Enricher.build(config(samples, 65536));
        uncached = Enricher.build(config(samples, 0));
        EnricherConfig bl = config(samples, 0);
        bl.geoip.enabled = false;
        bl.numbers.enabled = false;
        bl.rating.enabled = false;
        blacklistsOnly = Enricher.build(bl);
        addresses = new IpAddress[IPS.length];
        rawAddresses = new byte[IPS.length][];
        for (int k = 0; k < IPS.length; k++) {
            addresses[k] = IpAddress.parse(IPS[k]);
            rawAddresses[k] = addresses[k].toBytes();
        }
        calls = new RateQuery[NUMBERS.length];
        for (int k = 0; k < NUMBERS.length; k++) {
            NumberInfo n = cached.number(NUMBERS[k]);
            calls[k] = new RateQuery(n == null ? null : n.e164(), addresses[k], "sbc.example.net", "hepgen-01",
                    37 + 13L * k, k % 5 != 0, T);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cached.close();
        uncached.close();
        blacklistsOnly.close();
    }

    private static Path samples() {
        String p = System.getProperty("hepstack.samples");
        for (String candidate : p != null ? List.of(p) : List.of("samples", "../samples")) {
            if (Files.isDirectory(Path.of(candidate).resolve("geoip"))) {
                return Path.of(candidate);
            }
        }
        throw new IllegalStateException("sample data not found: run from the repository root or set -Dhepstack.samples");
    }

    private static EnricherConfig config(Path samples, int cacheSize) {
        EnricherConfig c = new EnricherConfig();
        c.ipCacheSize = cacheSize;
        c.numbers.cacheSize = cacheSize;
        c.geoip.cityDatabase = samples.resolve("geoip/GeoIP2-City-Test.mmdb").toString();
        c.geoip.asnDatabase = samples.resolve("geoip/GeoLite2-ASN-Test.mmdb").toString();
        RateTableConfig t = new RateTableConfig();
        t.name = "retail";
        t.file = samples.resolve("rates/astpp-origination-rates.csv").toString();
        t.format = "astpp";
        c.rating.tables.add(t);
        String[][] lists = {
            {"voipbl", "blacklist/firehol-voipbl-sample.netset"},
            {"blocklist_de_sip", "blacklist/firehol-blocklist_de_sip-sample.ipset"},
            {"blocklist_de", "blacklist/blocklist_de-sip.txt"},
            {"cins", "blacklist/ci-badguys.txt"},
        };
        for (String[] l : lists) {
            BlacklistListConfig b = new BlacklistListConfig();
            b.name = l[0];
            b.file = samples.resolve(l[1]).toString();
            c.blacklists.lists.add(b);
        }
        return c;
    }

    private int next() {
        return i++ & 15;
    }

    @Benchmark
    public IpInfo ipCached() {
        return cached.ip(addresses[next()]);
    }

    @Benchmark
    public IpInfo ipCachedFromBytes() {
        return cached.ip(rawAddresses[next()]);
    }

    @Benchmark
    public IpInfo ipUncached() {
        return uncached.ip(addresses[next()]);
    }

    @Benchmark
    public IpInfo blacklistOnly() {
        return blacklistsOnly.ip(addresses[next()]);
    }

    @Benchmark
    public NumberInfo numberCached() {
        return cached.number(NUMBERS[next()]);
    }

    @Benchmark
    public NumberInfo numberUncached() {
        return uncached.number(NUMBERS[next()]);
    }

    @Benchmark
    public Rating rate() {
        return cached.rate(calls[next()]);
    }

    /** One SIP message: source and destination address from the packet bytes, From and To users. */
    @Benchmark
    public void perMessage(Blackhole bh) {
        int k = next();
        bh.consume(cached.ip(rawAddresses[k]));
        bh.consume(cached.ip(rawAddresses[(k + 8) & 15]));
        bh.consume(cached.number(NUMBERS[k]));
        bh.consume(cached.number(NUMBERS[(k + 3) & 15]));
    }

    /** The same with every cache missing (first message of each party). */
    @Benchmark
    public void perMessageUncached(Blackhole bh) {
        int k = next();
        bh.consume(uncached.ip(rawAddresses[k]));
        bh.consume(uncached.ip(rawAddresses[(k + 8) & 15]));
        bh.consume(uncached.number(NUMBERS[k]));
        bh.consume(uncached.number(NUMBERS[(k + 3) & 15]));
    }

    /** A finished call (TDR): the per-message lookups plus its rating. */
    @Benchmark
    public void perCall(Blackhole bh) {
        perMessage(bh);
        bh.consume(cached.rate(calls[i & 15]));
    }
}
