package io.hepstack.bench;

import io.hepstack.collector.fraud.AlertListener;
import io.hepstack.collector.fraud.CallAnswered;
import io.hepstack.collector.fraud.CallEnded;
import io.hepstack.collector.fraud.CallStarted;
import io.hepstack.collector.fraud.FraudEngine;
import io.hepstack.collector.fraud.SipSeen;
import io.hepstack.collector.fraud.rules.FraudConfig;
import io.hepstack.collector.fraud.rules.FraudConfigLoader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Events per second through the fraud engine for a realistic mix: every call is CallStarted, SIP
 * INVITE, 180, 200, CallAnswered, BYE and CallEnded with a cost (7 events), over many users with
 * their own User-Agent, 30 destinations (2 of them premium/high-risk), all checks on, rules with
 * several prefixes and time intervals, a tick every 1000 calls. Capture time advances 1 ms per call
 * (1000 calls/s) and each call ends 60 s after it started (about 60,000 calls up at once), so every
 * user calls again after {@code users} ms on average and windows, deadlines and expiry all work.
 * The first 60,000 calls end nowhere yet: an OPTIONS and its 200 stand in for their BYE and end.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar FraudBenchmark -f 1 -wi 2 -i 3}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class FraudBenchmark {

    private static final String RULES = """
            timeZone: Europe/London
            defaultProfile: 1
            assignments:
              - {userRegex: "^9.*", profile: 2}
            rules:
              - {ruleid: 1, profileid: 1, prefix: "", start_hour: "00:00", end_hour: "24:00", cpm_warning: 10, cpm_critical: 20,
                 call_duration_warning: 3600, call_duration_critical: 7200, total_calls_warning: 2000, total_calls_critical: 4000,
                 concurrent_calls_warning: 4, concurrent_calls_critical: 8, sequential_calls_warning: 20, sequential_calls_critical: 40}
              - {ruleid: 2, profileid: 1, prefix: "44", start_hour: "08:00", end_hour: "20:00", daysoftheweek: "Mon-Fri", cpm_warning: 6,
                 total_calls_warning: 600, concurrent_calls_warning: 3, sequential_calls_warning: 10}
              - {ruleid: 3, profileid: 1, prefix: "44", start_hour: "20:00", end_hour: "08:00", cpm_warning: 3, total_calls_warning: 200}
              - {ruleid: 4, profileid: 1, prefix: "882", start_hour: "00:00", end_hour: "24:00", cpm_warning: 1, total_calls_warning: 2}
              - {ruleid: 5, profileid: 2, prefix: "", start_hour: "00:00", end_hour: "24:00", cpm_warning: 60, concurrent_calls_warning: 60}
            checks:
              highRiskDestination: {countries: [CU], prefixes: ["882"], numberTypes: [premium_rate]}
              costBurn: {window: 1h, warning: 50, critical: 200, currency: EUR}
            """;

    private static final String[] NUMBERS = new String[30];
    private static final String[] COUNTRIES = new String[30];
    private static final String[] TYPES = new String[30];

    static {
        String[][] base = {{"44", "GB", "fixed_line"}, {"447", "GB", "mobile"}, {"49", "DE", "fixed_line"},
                {"4915", "DE", "mobile"}, {"33", "FR", "fixed_line"}, {"1", "US", "fixed_line_or_mobile"}};
        for (int i = 0; i < 28; i++) {
            String[] b = base[i % base.length];
            NUMBERS[i] = b[0] + (7_000_000_000L + i * 7919L);
            COUNTRIES[i] = b[1];
            TYPES[i] = b[2];
        }
        NUMBERS[28] = "88213000123";
        COUNTRIES[28] = null;
        TYPES[28] = "premium_rate";
        NUMBERS[29] = "5372345678";
        COUNTRIES[29] = "CU";
        TYPES[29] = "fixed_line";
    }

    @Param({"10000", "100000"})
    int users;

    private FraudEngine engine;
    private final LongAdder alerts = new LongAdder();
    private String[] userNames;
    private String[] userAgents;
    private String[] userIps;
    private SplittableRandom random;
    private long now;
    private long seq;
    private static final int LIVE = 60_000; // 60 s calls at 1000 calls/s
    private final String[] pendingIds = new String[LIVE];
    private final long[] pendingStart = new long[LIVE];
    private final String[] pendingIps = new String[LIVE];

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path f = Files.createTempFile("fraud-bench", ".yml");
        Files.writeString(f, RULES);
        FraudConfig config = new FraudConfigLoader().load(f);
        Files.delete(f);
        AlertListener count = a -> alerts.increment();
        engine = new FraudEngine(config, count);
        userNames = new String[users];
        userAgents = new String[users];
        userIps = new String[users];
        for (int i = 0; i < users; i++) {
            userNames[i] = (i % 50 == 0 ? "9" : "1") + (100_000 + i);
            userAgents[i] = i % 3 == 0 ? "Yealink SIP-T46S 66.86.0.15" : i % 3 == 1 ? "Linphone/5.2.0" : "Grandstream GXP2170";
            userIps[i] = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
        }
        random = new SplittableRandom(2026);
        now = 1_767_600_000_000_000L; // 2026-01-05T08:00:00Z, a Monday
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.printf("%n[fraud] %d users, %d calls, %d alert versions, metrics %s%n", users, seq, alerts.sum(),
                engine.metrics());
    }

    @Benchmark
    @OperationsPerInvocation(7)
    public void callWithSip() {
        long t = now += 1000; // 1000 calls per second of capture time
        int u = random.nextInt(users);
        int d = random.nextInt(100) < 2 ? 28 + random.nextInt(2) : random.nextInt(28);
        String callId = "bench-" + seq++;
        String user = userNames[u];
        String ip = userIps[u];
        engine.onCallStarted(CallStarted.builder(callId, t).user(user).domain("example.com").sourceIp(ip)
                .userAgent(userAgents[u]).calledNumber(NUMBERS[d]).calledCountry(COUNTRIES[d])
                .calledNumberType(TYPES[d]).captureNode("sbc-01").build());
        engine.onSip(SipSeen.request(t, ip, "INVITE", userAgents[u], user, NUMBERS[d], callId));
        engine.onSip(SipSeen.response(t + 300, ip, 180, callId));
        engine.onSip(SipSeen.response(t + 900, ip, 200, callId));
        engine.onCallAnswered(new CallAnswered(callId, t + 900));

        // the call started LIVE calls ago ends now: events stay in capture-time order, ~LIVE calls are up
        int slot = (int) (seq % LIVE);
        String old = pendingIds[slot];
        if (old != null) {
            long duration = (t - pendingStart[slot]) / 1_000_000L;
            engine.onSip(SipSeen.request(t + 950, pendingIps[slot], "BYE", null, null, null, old));
            engine.onCallEnded(new CallEnded(old, t + 950, true, duration, BigDecimal.valueOf(duration, 2), "EUR"));
        } else {
            engine.onSip(SipSeen.request(t + 950, ip, "OPTIONS", userAgents[u], user, user, callId + "-o"));
            engine.onSip(SipSeen.response(t + 960, ip, 200, callId + "-o"));
        }
        pendingIds[slot] = callId;
        pendingStart[slot] = t + 900;
        pendingIps[slot] = ip;
        if (seq % 1000 == 0) {
            engine.tick(t + 999);
        }
    }
}
