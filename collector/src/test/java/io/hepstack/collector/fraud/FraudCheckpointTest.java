package io.hepstack.collector.fraud;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.fraud.rules.FraudConfig;
import io.hepstack.collector.fraud.rules.FraudConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.function.UnaryOperator;

import static io.hepstack.collector.fraud.FraudTestSupport.at;
import static io.hepstack.collector.fraud.FraudTestSupport.call;
import static io.hepstack.collector.fraud.FraudTestSupport.seconds;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fraud engine's state across a clean restart: saved and restored it is the same state; a burst
 * split by a restart raises exactly the alerts (ids, counts, values) of an engine that never stopped,
 * and without the checkpoint it would raise none; what is older than its window drops out as the
 * clock moves on; a damaged, truncated, foreign or other-version file is ignored, counted and kept aside.
 * The rules are the shipped sample (samples/fraud/fraud-rules.yml), every check on.
 */
class FraudCheckpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = at("2026-01-05T10:00:00Z"); // a Monday, office hours in London
    private static final String RESIDENTIAL = "2.125.160.216";  // default profile 1 (192.0.2.0/24 are trunks)

    @TempDir
    Path dir;

    private final MetricRegistry metrics = new MetricRegistry();
    private final FraudTestSupport.Recorder alerts = new FraudTestSupport.Recorder();

    private static FraudConfig sampleRules() throws Exception {
        return new FraudConfigLoader().load(Path.of("../samples/fraud/fraud-rules.yml"));
    }

    private FraudEngine engine() throws Exception {
        return new FraudEngine(sampleRules(), alerts);
    }

    private FraudCheckpoint checkpoint() {
        return new FraudCheckpoint(dir.resolve("fraud/state.json"), metrics);
    }

    private long count(String name) {
        return metrics.counter("fraud.checkpoint." + name).getCount();
    }

    /** A bit of everything: OpenSIPS counters, UA changes, countries, cost, flood and scanner windows, live calls, open alerts. */
    private static void feed(FraudEngine e) {
        String[] countries = {"DE", "DE", "DE", "DE", "DE", "FR"};
        for (int i = 0; i < countries.length; i++) {
            long t = T0 + seconds(i * 20L);
            String id = "done-" + i;
            e.onCallStarted(call(id, t, "alice", "4930901820" + i).sourceIp(RESIDENTIAL).calledCountry(countries[i])
                    .userAgent(i % 2 == 0 ? "Yealink SIP-T46S" : "Zoiper 5").ratePerMinute(new BigDecimal("0.50")).build());
            e.onCallAnswered(new CallAnswered(id, t + seconds(2)));
            e.onCallEnded(new CallEnded(id, t + seconds(8), true, 6, new BigDecimal("0.05"), "GBP"));
        }
        e.onCallStarted(call("up", T0 + seconds(130), "alice", "88213000123").sourceIp(RESIDENTIAL).calledCountry("XX")
                .ratePerMinute(new BigDecimal("3.00")).build());
        e.onCallAnswered(new CallAnswered("up", T0 + seconds(131)));
        e.onCallStarted(call("ringing", T0 + seconds(132), "bob", "442079460123").sourceIp(RESIDENTIAL).calledCountry("GB").build());
        for (int i = 0; i < 30; i++) {
            e.onSip(SipSeen.request(T0 + seconds(133) + i * 1000L, "203.0.113.9", "REGISTER", "friendly-scanner", "100", "100", "r" + i));
            e.onSip(SipSeen.response(T0 + seconds(133) + i * 1000L + 500, "203.0.113.9", 401, "r" + i));
        }
        e.tick(T0 + seconds(140));
    }

    private static String state(FraudEngine e) throws Exception {
        return JSON.writeValueAsString(e.checkpoint());
    }

    @Test
    void aSavedStateComesBackAsItWas() throws Exception {
        FraudEngine before = engine();
        feed(before);
        FraudMetrics m = before.metrics();
        assertThat(m.liveUsers()).isEqualTo(2);
        assertThat(m.liveCalls()).isEqualTo(2);
        assertThat(m.openAlerts()).as("new-country, high-risk, cpm on 882, scanner, auth failures").isGreaterThanOrEqualTo(4);
        FraudCheckpoint cp = checkpoint();

        assertThat(cp.save(before)).isTrue();
        FraudEngine after = engine();
        assertThat(cp.restore(after)).isTrue();

        assertThat(state(after)).isEqualTo(state(before));
        assertThat(after.statsFor("alice")).isEqualTo(before.statsFor("alice"));
        assertThat(after.statsFor("bob")).isEqualTo(before.statsFor("bob"));
        assertThat(after.recentAlerts(100)).isEqualTo(before.recentAlerts(100));
        assertThat(after.nowMicros()).isEqualTo(before.nowMicros());
        assertThat(count("saved")).isEqualTo(1);
        assertThat(count("restored")).isEqualTo(1);
        assertThat(Files.exists(cp.file())).as("read once: a later crash starts empty").isFalse();
        try (var files = Files.list(cp.file().getParent())) {
            assertThat(files).as("no temporary file left").isEmpty();
        }

        // the restored engine goes on as the original does: the live call ends, the costs and counters follow
        for (FraudEngine e : List.of(before, after)) {
            e.onCallEnded(new CallEnded("up", T0 + seconds(400), true, 269, null, null));
            e.onCallEnded(CallEnded.failed("ringing", T0 + seconds(401)));
            e.tick(T0 + seconds(410));
        }
        assertThat(state(after)).isEqualTo(state(before));
        assertThat(after.statsFor("alice")).isEqualTo(before.statsFor("alice"));
    }

    @Test
    void theStateFileIsOwnerOnly() throws Exception {
        FraudEngine e = engine();
        feed(e);
        FraudCheckpoint cp = checkpoint();
        assertThat(cp.save(e)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cp.file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cp.file().getParent()))).isEqualTo("rwx------");
    }

    /** 12 calls of one user, one every 4 s, each answered for 1 s: 10 in 60 s is the sample rules' cpm warning. */
    private static void burst(FraudEngine e, int from, int to) {
        for (int i = from; i < to; i++) {
            long t = T0 + seconds(4L * i);
            String id = "burst-" + i;
            e.onCallStarted(call(id, t, "mallory", "3727123456").sourceIp(RESIDENTIAL).calledCountry("EE").build());
            e.onCallAnswered(new CallAnswered(id, t + seconds(1)));
            if (i < to - 1) { // the last call of each part is still up at the restart
                e.onCallEnded(CallEnded.answered(id, t + seconds(2), 1));
            }
            e.tick(t + seconds(3));
        }
    }

    private static List<String> versions(List<Alert> published) {
        return published.stream().map(a -> a.id() + " " + a.rule().code() + "/" + a.severity().code() + " count "
                + a.count() + " value " + a.value() + " call " + a.callId()).toList();
    }

    @Test
    void aBurstSplitByARestartRaisesExactlyTheAlertsOfAnEngineThatNeverStopped() throws Exception {
        FraudEngine straight = engine();
        burst(straight, 0, 6);
        straight.onCallEnded(CallEnded.answered("burst-5", T0 + seconds(22), 1));
        burst(straight, 6, 12);
        List<String> expected = versions(alerts.all);
        assertThat(alerts.newOnes()).as("the burst raises one calls-per-minute warning").singleElement()
                .satisfies(a -> assertThat(a.rule()).isEqualTo(AlertRule.CALLS_PER_MINUTE));
        alerts.clear();

        FraudEngine first = engine();
        burst(first, 0, 6);
        FraudCheckpoint cp = checkpoint();
        assertThat(cp.save(first)).isTrue();
        FraudEngine second = engine();
        assertThat(cp.restore(second)).isTrue();
        second.onCallEnded(CallEnded.answered("burst-5", T0 + seconds(22), 1)); // a call that was up at the restart
        burst(second, 6, 12);
        assertThat(versions(alerts.all)).isEqualTo(expected);
        assertThat(second.metrics().unknownCalls()).as("the call up at the restart was known").isZero();

        alerts.clear();
        FraudEngine forgetful = engine(); // what the second half alone does: the restart hid the burst
        burst(forgetful, 6, 12);
        assertThat(alerts.all).isEmpty();
    }

    @Test
    void whatIsOlderThanItsWindowDropsOutAsTheClockMovesOn() throws Exception {
        FraudEngine e = engine();
        burst(e, 0, 6);
        FraudCheckpoint cp = checkpoint();
        cp.save(e);
        FraudEngine later = engine();
        cp.restore(later);
        assertThat(later.statsFor("mallory").rules().get(0).cpm()).isEqualTo(6);
        assertThat(later.metrics().liveCalls()).isEqualTo(1);

        long twoHoursOn = T0 + seconds(7200);
        later.tick(twoHoursOn);
        assertThat(later.metrics().liveCalls()).as("the answered call up at the stop: within its 6 h timeout").isEqualTo(1);
        later.onCallStarted(call("next", twoHoursOn, "mallory", "3727123456").sourceIp(RESIDENTIAL).calledCountry("EE").build());
        UserFraudStats.RuleStats r = later.statsFor("mallory").rules().get(0);
        assertThat(r.cpm()).as("the 60 s window holds only the new call").isEqualTo(1);
        assertThat(r.totalCalls()).as("the day's total goes on").isEqualTo(7);

        later.tick(T0 + seconds(7 * 3600));
        assertThat(later.metrics().liveCalls()).as("expired: the call up at the stop (6 h), the new one never answered (5 min)")
                .isZero();
        assertThat(later.metrics().expiredCalls()).isEqualTo(2);
    }

    // ------------------------------------------------------------------ files that cannot be used

    private void assertRejected(FraudCheckpoint cp, String why) throws Exception {
        FraudEngine e = engine();
        assertThat(cp.restore(e)).as(why).isFalse();
        assertThat(count("rejected")).isEqualTo(1);
        assertThat(count("restored")).isZero();
        assertThat(e.metrics().liveUsers()).isZero();
        assertThat(e.nowMicros()).isEqualTo(Long.MIN_VALUE);
        assertThat(Files.exists(cp.file())).isFalse();
        assertThat(Files.exists(cp.file().resolveSibling("state.json.rejected"))).as("kept aside for a look").isTrue();
        feed(e); // and the engine works as a fresh one
        assertThat(e.metrics().liveUsers()).isEqualTo(2);
    }

    private FraudCheckpoint saved(UnaryOperator<byte[]> damage) throws Exception {
        FraudEngine e = engine();
        feed(e);
        FraudCheckpoint cp = checkpoint();
        assertThat(cp.save(e)).isTrue();
        Files.write(cp.file(), damage.apply(Files.readAllBytes(cp.file())));
        return cp;
    }

    @Test
    void aFlippedByteIsCaughtByTheChecksum() throws Exception {
        assertRejected(saved(b -> {
            b[b.length / 2] ^= 0x20;
            return b;
        }), "damaged");
    }

    @Test
    void aTruncatedFileIsRejected() throws Exception {
        assertRejected(saved(b -> java.util.Arrays.copyOf(b, b.length - 100)), "truncated");
    }

    @Test
    void aFileCutInItsHeaderIsRejected() throws Exception {
        assertRejected(saved(b -> java.util.Arrays.copyOf(b, 20)), "header cut");
    }

    @Test
    void anotherFormatVersionIsRejected() throws Exception {
        assertRejected(saved(b -> new String(b, StandardCharsets.UTF_8).replaceFirst("\"version\":1,", "\"version\":2,")
                .getBytes(StandardCharsets.UTF_8)), "version 2");
    }

    @Test
    void aFileOfTheRightFormatThatDoesNotHoldTogetherIsRejected() throws Exception {
        // a live call naming a user that is not saved; header and checksum rewritten to match
        FraudEngine e = engine();
        feed(e);
        FraudCheckpoint cp = checkpoint();
        FraudSnapshot s = e.checkpoint();
        cp.write(new FraudSnapshot(s.nowMicros(), List.of(), s.sources(), s.calls(), s.openAlerts(), s.recentAlerts()));
        assertRejected(cp, "inconsistent");
    }

    @Test
    void aMissingFileIsCountedAndTheEngineStartsEmpty() throws Exception {
        FraudEngine e = engine();
        assertThat(checkpoint().restore(e)).isFalse();
        assertThat(count("missing")).isEqualTo(1);
        assertThat(count("rejected")).isZero();
        assertThat(e.metrics().liveUsers()).isZero();
    }
}
