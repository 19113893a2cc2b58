package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.FraudConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.hepstack.collector.fraud.FraudTestSupport.CHECKS_OFF;
import static io.hepstack.collector.fraud.FraudTestSupport.at;
import static io.hepstack.collector.fraud.FraudTestSupport.call;
import static io.hepstack.collector.fraud.FraudTestSupport.config;
import static io.hepstack.collector.fraud.FraudTestSupport.seconds;
import static org.assertj.core.api.Assertions.assertThat;

/** The five OpenSIPS fraud_detection parameters, each at its threshold boundary. */
class OpenSipsCountersTest {

    @TempDir
    Path dir;

    private final FraudTestSupport.Recorder alerts = new FraudTestSupport.Recorder();

    private FraudEngine engine(String rules) {
        FraudConfig c = config(dir, "timeZone: UTC\ndefaultProfile: 1\nalerts: {updateInterval: 0}\n" + CHECKS_OFF
                + "rules:\n" + rules);
        return new FraudEngine(c, alerts);
    }

    private static String rule(int id, String prefix, String hours, String days, String thresholds) {
        String[] h = hours.split("-");
        return "  - {ruleid: " + id + ", profileid: 1, prefix: \"" + prefix + "\", start_hour: \"" + h[0]
                + "\", end_hour: \"" + h[1] + "\", daysoftheweek: \"" + days + "\", " + thresholds + "}\n";
    }

    @Test
    void callsPerMinuteWarnsAtWarningAndCritsAtCritical() {
        FraudEngine e = engine(rule(7, "", "00:00-24:00", "", "cpm_warning: 3, cpm_critical: 5"));
        long t0 = at("2026-01-05T10:00:00Z");
        e.onCallStarted(call("c1", t0, "alice", "4930901820").build());
        e.onCallStarted(call("c2", t0 + seconds(1), "alice", "4930901820").build());
        assertThat(alerts.all).as("2 calls, threshold 3").isEmpty();

        e.onCallStarted(call("c3", t0 + seconds(2), "alice", "4930901820").build());
        assertThat(alerts.all).hasSize(1);
        Alert w = alerts.all.get(0);
        assertThat(w.rule()).isEqualTo(AlertRule.CALLS_PER_MINUTE);
        assertThat(w.parameter()).isEqualTo("calls-per-minute");
        assertThat(w.severity()).isEqualTo(Severity.WARNING);
        assertThat(w.value()).isEqualTo(3);
        assertThat(w.threshold()).isEqualTo(3);
        assertThat(w.user()).isEqualTo("alice");
        assertThat(w.ruleId()).isEqualTo(7);
        assertThat(w.profileId()).isEqualTo(1);
        assertThat(w.callId()).isEqualTo("c3");
        assertThat(w.calledNumber()).isEqualTo("4930901820");

        e.onCallStarted(call("c4", t0 + seconds(3), "alice", "4930901820").build());
        assertThat(alerts.newOnes()).as("4th call: still only the warning, count 2").hasSize(1);
        assertThat(alerts.all.get(alerts.all.size() - 1).count()).isEqualTo(2);

        e.onCallStarted(call("c5", t0 + seconds(4), "alice", "4930901820").build());
        Alert c = alerts.newOnes().get(1);
        assertThat(c.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(c.value()).isEqualTo(5);
        assertThat(c.threshold()).isEqualTo(5);
    }

    @Test
    void callsPerMinuteIsASlidingSixtySecondWindow() {
        FraudEngine e = engine(rule(1, "", "00:00-24:00", "", "cpm_warning: 3"));
        long t0 = at("2026-01-05T10:00:00Z");
        e.onCallStarted(call("c1", t0, "bob", "1").build());
        e.onCallStarted(call("c2", t0 + seconds(30), "bob", "1").build());
        // c1 (second 0) still counts at second 59 ...
        e.onCallStarted(call("c3", t0 + seconds(59), "bob", "1").build());
        assertThat(alerts.all).hasSize(1);
        assertThat(alerts.all.get(0).value()).isEqualTo(3);
        alerts.clear();
        // ... but not at second 60
        FraudEngine e2 = engine(rule(1, "", "00:00-24:00", "", "cpm_warning: 3"));
        e2.onCallStarted(call("c1", t0, "bob", "1").build());
        e2.onCallStarted(call("c2", t0 + seconds(30), "bob", "1").build());
        e2.onCallStarted(call("c3", t0 + seconds(60), "bob", "1").build());
        assertThat(alerts.all).as("c1 left the window at second 60").isEmpty();
        assertThat(e2.statsFor("bob").rules().get(0).cpm()).isEqualTo(2);
        e2.tick(t0 + seconds(125));
        assertThat(e2.statsFor("bob").rules().get(0).cpm()).isZero();
    }

    @Test
    void totalCallsCountWithinTheIntervalAndResetOnTheNextDay() {
        FraudEngine e = engine(rule(2, "49", "09:00-17:00", "Mon-Fri", "total_calls_warning: 3, total_calls_critical: 4"));
        long mon = at("2026-01-05T10:00:00Z");
        e.onCallStarted(call("a", mon, "dave", "4930901820").build());
        e.onCallStarted(call("b", mon + seconds(3600), "dave", "4930901820").build());
        assertThat(alerts.all).isEmpty();
        e.onCallStarted(call("c", mon + seconds(7200), "dave", "4930901820").build());
        assertThat(alerts.all).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo(AlertRule.TOTAL_CALLS);
            assertThat(a.severity()).isEqualTo(Severity.WARNING);
            assertThat(a.value()).isEqualTo(3);
            assertThat(a.threshold()).isEqualTo(3);
            // the de-duplication window of total-calls is the rule's interval instance
            assertThat(a.windowStartMicros()).isEqualTo(at("2026-01-05T09:00:00Z"));
            assertThat(a.windowEndMicros()).isEqualTo(at("2026-01-05T17:00:00Z"));
        });
        e.onCallStarted(call("d", mon + seconds(7300), "dave", "4930901820").build());
        assertThat(alerts.newOnes()).hasSize(2);
        assertThat(alerts.newOnes().get(1).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(alerts.newOnes().get(1).value()).isEqualTo(4);

        alerts.clear();
        long tue = at("2026-01-06T09:00:00Z");
        e.onCallStarted(call("e", tue, "dave", "4930901820").build());
        e.onCallStarted(call("f", tue + seconds(60), "dave", "4930901820").build());
        assertThat(alerts.all).as("a new day starts a new interval").isEmpty();
        UserFraudStats.RuleStats s = e.statsFor("dave").rules().get(0);
        assertThat(s.totalCalls()).isEqualTo(2);
        assertThat(s.intervalStartMicros()).isEqualTo(tue);
        assertThat(s.ruleId()).isEqualTo(2);
        assertThat(s.totalCallsThreshold().warning()).isEqualTo(3);
    }

    @Test
    void totalCallsResetWhenTheIntervalChangesWithinTheDay() {
        FraudEngine e = engine(rule(1, "", "09:00-12:00", "", "total_calls_warning: 3")
                + rule(2, "", "12:00-17:00", "", "total_calls_warning: 3"));
        long t = at("2026-01-05T11:58:00Z");
        e.onCallStarted(call("a", t, "erin", "33142685300").build());
        e.onCallStarted(call("b", t + seconds(60), "erin", "33142685300").build());
        e.onCallStarted(call("c", t + seconds(120), "erin", "33142685300").build()); // 12:00 -> rule 2
        e.onCallStarted(call("d", t + seconds(180), "erin", "33142685300").build());
        assertThat(alerts.all).isEmpty();
        UserFraudStats.RuleStats s = e.statsFor("erin").rules().get(0);
        assertThat(s.ruleId()).isEqualTo(2);
        assertThat(s.totalCalls()).isEqualTo(2);
        assertThat(s.sequentialCalls()).as("OpenSIPS resets sequential calls with the interval too").isEqualTo(2);
        assertThat(s.concurrentCalls()).as("live calls are not forgotten at an interval change").isEqualTo(4);
    }

    @Test
    void concurrentCallsCountLiveDialogsAndDropOnEndAndFailure() {
        FraudEngine e = engine(rule(3, "", "00:00-24:00", "", "concurrent_calls_warning: 2, concurrent_calls_critical: 3"));
        long t = at("2026-01-05T10:00:00Z");
        e.onCallStarted(call("a", t, "frank", "1").build());
        assertThat(alerts.all).isEmpty();
        e.onCallStarted(call("b", t + seconds(1), "frank", "2").build());
        assertThat(alerts.all).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo(AlertRule.CONCURRENT_CALLS);
            assertThat(a.value()).isEqualTo(2);
            assertThat(a.threshold()).isEqualTo(2);
        });
        e.onCallStarted(call("c", t + seconds(2), "frank", "3").build());
        assertThat(alerts.newOnes().get(1).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(alerts.newOnes().get(1).value()).isEqualTo(3);

        e.onCallEnded(CallEnded.failed("c", t + seconds(3)));
        e.onCallAnswered(new CallAnswered("b", t + seconds(3)));
        e.onCallEnded(CallEnded.answered("b", t + seconds(20), 17));
        assertThat(e.statsFor("frank").rules().get(0).concurrentCalls()).isEqualTo(1);
        assertThat(e.statsFor("frank").liveCalls()).isEqualTo(1);
        alerts.clear();
        e.onCallStarted(call("d", t + seconds(21), "frank", "4").build());
        assertThat(alerts.newOnes()).as("2 live calls: the open warning is hit again, no new alert").isEmpty();
        assertThat(alerts.all).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(Severity.WARNING);
            assertThat(a.count()).isEqualTo(2);
        });
    }

    @Test
    void concurrentCallsDropWhenCallsExpire() {
        FraudEngine e = new FraudEngine(config(dir, "defaultProfile: 1\nalerts: {updateInterval: 0}\n"
                + "state: {setupTimeout: 2m, callTimeout: 1h}\n" + CHECKS_OFF + "rules:\n"
                + rule(3, "", "00:00-24:00", "", "concurrent_calls_warning: 5")), alerts);
        long t = at("2026-01-05T10:00:00Z");
        e.onCallStarted(call("ringing", t, "gina", "1").build());
        e.onCallStarted(call("talking", t, "gina", "2").build());
        e.onCallAnswered(new CallAnswered("talking", t + seconds(5)));
        assertThat(e.statsFor("gina").rules().get(0).concurrentCalls()).isEqualTo(2);

        e.tick(t + seconds(119));
        assertThat(e.statsFor("gina").rules().get(0).concurrentCalls()).isEqualTo(2);
        e.tick(t + seconds(120));
        assertThat(e.statsFor("gina").rules().get(0).concurrentCalls()).as("unanswered call expired after setupTimeout").isEqualTo(1);
        e.tick(t + seconds(5 + 3599));
        assertThat(e.statsFor("gina").rules().get(0).concurrentCalls()).isEqualTo(1);
        e.tick(t + seconds(5 + 3600));
        assertThat(e.statsFor("gina").rules().get(0).concurrentCalls()).as("answered call expired after callTimeout").isZero();
        assertThat(e.metrics().expiredCalls()).isEqualTo(2);
        assertThat(e.metrics().liveCalls()).isZero();
        // a BYE after the expiry is an unknown call, not a second decrement
        e.onCallEnded(CallEnded.answered("talking", t + seconds(4000), 3995));
        assertThat(e.statsFor("gina").rules().get(0).concurrentCalls()).isZero();
        assertThat(e.metrics().unknownCalls()).isEqualTo(1);
    }

    @Test
    void sequentialCallsCountConsecutiveCallsToTheSameNumber() {
        FraudEngine e = engine(rule(4, "", "00:00-24:00", "", "sequential_calls_warning: 3, sequential_calls_critical: 4"));
        long t = at("2026-01-05T10:00:00Z");
        e.onCallStarted(call("a", t, "hank", "447700900123").build());
        e.onCallStarted(call("b", t + seconds(10), "hank", "447700900123").build());
        e.onCallStarted(call("c", t + seconds(20), "hank", "447700900999").build()); // another number: back to 1
        e.onCallStarted(call("d", t + seconds(30), "hank", "447700900999").build());
        assertThat(alerts.all).isEmpty();
        e.onCallStarted(call("e", t + seconds(40), "hank", "447700900999").build());
        assertThat(alerts.all).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo(AlertRule.SEQUENTIAL_CALLS);
            assertThat(a.value()).isEqualTo(3);
            assertThat(a.threshold()).isEqualTo(3);
            assertThat(a.calledNumber()).isEqualTo("447700900999");
        });
        e.onCallStarted(call("f", t + seconds(50), "hank", "447700900999").build());
        assertThat(alerts.newOnes().get(1).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(alerts.newOnes().get(1).value()).isEqualTo(4);
        assertThat(e.statsFor("hank").rules().get(0).lastNumber()).isEqualTo("447700900999");
    }

    @Test
    void callDurationAlertsWhileTheCallIsStillUp() {
        FraudEngine e = engine(rule(5, "", "00:00-24:00", "", "call_duration_warning: 60, call_duration_critical: 120"));
        long t = at("2026-01-05T10:00:00Z");
        e.onCallStarted(call("long", t, "ivan", "88213000123").build());
        e.onCallAnswered(new CallAnswered("long", t + seconds(2)));
        e.tick(t + seconds(2 + 59));
        assertThat(alerts.all).isEmpty();
        e.tick(t + seconds(2 + 60));
        assertThat(alerts.all).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo(AlertRule.CALL_DURATION);
            assertThat(a.severity()).isEqualTo(Severity.WARNING);
            assertThat(a.value()).isEqualTo(60);
            assertThat(a.threshold()).isEqualTo(60);
            assertThat(a.callId()).isEqualTo("long");
        });
        assertThat(e.metrics().liveCalls()).as("raised while the call is up").isEqualTo(1);
        e.tick(t + seconds(2 + 120));
        assertThat(alerts.newOnes()).hasSize(2);
        assertThat(alerts.newOnes().get(1).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(alerts.newOnes().get(1).value()).isEqualTo(120);
        int before = alerts.all.size();
        e.onCallEnded(CallEnded.answered("long", t + seconds(152), 150));
        assertThat(alerts.all).as("the BYE does not raise the same call again").hasSize(before);
    }

    @Test
    void aThreeHourPremiumCallAlertsWhenItCrossesTheThreshold() {
        FraudEngine e = engine(rule(9, "88", "00:00-24:00", "", "call_duration_critical: 10800"));
        long t = at("2026-01-05T10:00:00Z");
        e.onCallStarted(call("premium", t, "judy", "88213000123").calledNumberType("premium_rate").build());
        e.onCallAnswered(new CallAnswered("premium", t + seconds(1)));
        for (long s = 60; s < 10800; s += 60) {
            e.tick(t + seconds(s));
        }
        e.tick(t + seconds(10800)); // 10799 s answered
        assertThat(alerts.all).isEmpty();
        e.tick(t + seconds(10801));
        assertThat(alerts.all).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(a.value()).isEqualTo(10800);
            assertThat(a.ruleId()).isEqualTo(9);
        });
    }

    @Test
    void callDurationIsCheckedAtTheEndWhenNoTickCameAndNotForFailedCalls() {
        FraudEngine e = engine(rule(5, "", "00:00-24:00", "", "call_duration_warning: 60, call_duration_critical: 120"));
        long t = at("2026-01-05T10:00:00Z");
        e.onCallStarted(call("x", t, "kim", "1").build());
        e.onCallEnded(new CallEnded("x", t + seconds(70), true, 70, null, null));
        assertThat(alerts.all).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(Severity.WARNING);
            assertThat(a.value()).isEqualTo(70);
        });
        alerts.clear();
        e.onCallStarted(call("y", t + seconds(100), "kim", "1").build());
        e.onCallEnded(CallEnded.failed("y", t + seconds(400)));
        e.onCallStarted(call("z", t + seconds(500), "kim", "1").build());
        e.onCallEnded(new CallEnded("z", t + seconds(559), true, 59, null, null));
        assertThat(alerts.all).as("failed call and a 59 s call").isEmpty();
    }

    @Test
    void aZeroThresholdIsOff() {
        FraudEngine e = engine(rule(1, "", "00:00-24:00", "", "cpm_warning: 0, cpm_critical: 0"));
        long t = at("2026-01-05T10:00:00Z");
        for (int i = 0; i < 50; i++) {
            e.onCallStarted(call("c" + i, t + i, "lou", "1").build());
        }
        assertThat(alerts.all).isEmpty();
        assertThat(e.statsFor("lou").rules().get(0).cpm()).isEqualTo(50);
    }

    @Test
    void theLongestPrefixPicksTheRuleAndEachPrefixHasItsOwnCounters() {
        FraudEngine e = engine(rule(1, "", "00:00-24:00", "", "cpm_warning: 100")
                + rule(2, "44", "00:00-24:00", "", "cpm_warning: 100")
                + rule(3, "447", "09:00-17:00", "", "cpm_warning: 100"));
        long t = at("2026-01-05T10:00:00Z");
        e.onCallStarted(call("a", t, "mia", "447700900123").build());
        e.onCallStarted(call("b", t, "mia", "442079460123").build());
        e.onCallStarted(call("c", t, "mia", "33142685300").build());
        e.onCallStarted(call("d", at("2026-01-05T20:00:00Z"), "mia", "447700900123").build()); // 447 is off-hours
        List<UserFraudStats.RuleStats> rules = e.statsFor("mia").rules();
        assertThat(rules).extracting(UserFraudStats.RuleStats::prefix).containsExactly("", "44", "447");
        assertThat(rules).extracting(UserFraudStats.RuleStats::ruleId).containsExactly(1, 2, 3);
        assertThat(rules).extracting(UserFraudStats.RuleStats::totalCalls).containsExactly(1L, 2L, 1L);
    }

    @Test
    void usersWithoutAProfileGetNoOpenSipsCounters() {
        FraudConfig c = config(dir, CHECKS_OFF + "rules:\n" + rule(1, "", "00:00-24:00", "", "cpm_warning: 1"));
        FraudEngine e = new FraudEngine(c, alerts);
        e.onCallStarted(call("a", at("2026-01-05T10:00:00Z"), "nobody", "1").build());
        assertThat(alerts.all).isEmpty();
        assertThat(e.statsFor("nobody").rules()).isEmpty();
        assertThat(e.statsFor("nobody").profileId()).isEqualTo(-1);
        assertThat(e.statsFor("someone-else")).isNull();
    }
}
