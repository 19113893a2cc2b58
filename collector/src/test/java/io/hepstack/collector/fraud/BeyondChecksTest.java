package io.hepstack.collector.fraud;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;

import static io.hepstack.collector.fraud.FraudTestSupport.CHECKS_OFF;
import static io.hepstack.collector.fraud.FraudTestSupport.at;
import static io.hepstack.collector.fraud.FraudTestSupport.call;
import static io.hepstack.collector.fraud.FraudTestSupport.config;
import static io.hepstack.collector.fraud.FraudTestSupport.seconds;
import static org.assertj.core.api.Assertions.assertThat;

/** hepstack's checks beyond OpenSIPS: each with a scenario that fires and one that must not. */
class BeyondChecksTest {

    @TempDir
    Path dir;

    private final FraudTestSupport.Recorder alerts = new FraudTestSupport.Recorder();
    private final long t0 = at("2026-01-05T10:00:00Z");

    /** Everything off but the given check (later keys override the CHECKS_OFF ones). */
    private FraudEngine only(String checkYaml) {
        String yaml = "alerts: {updateInterval: 0}\n" + CHECKS_OFF.replace("checks:\n", "checks:\n" + checkYaml);
        for (String line : checkYaml.split("\n")) { // drop the "off" line of each check under test (no duplicate keys)
            String name = line.trim().substring(0, line.trim().indexOf(':'));
            yaml = yaml.replace("  " + name + ": {enabled: false}\n", "");
        }
        return new FraudEngine(config(dir, yaml), alerts);
    }

    // ---------------------------------------------------------------- user-agent-change

    @Test
    void userAgentChangeFires() {
        FraudEngine e = only("  userAgentChange: {window: 1h, warning: 2, critical: 3}\n");
        e.onCallStarted(call("1", t0, "ua", "1").userAgent("Yealink SIP-T46S").build());
        e.onCallStarted(call("2", t0 + seconds(60), "ua", "1").userAgent("friendly-softphone 1.0").build());
        assertThat(alerts.all).isEmpty();
        e.onCallStarted(call("3", t0 + seconds(120), "ua", "1").userAgent("Yealink SIP-T46S").build());
        assertThat(alerts.all).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo(AlertRule.USER_AGENT_CHANGE);
            assertThat(a.severity()).isEqualTo(Severity.WARNING);
            assertThat(a.value()).isEqualTo(2);
            assertThat(a.threshold()).isEqualTo(2);
            assertThat(a.subject()).isEqualTo("ua");
            assertThat(a.message()).contains("Yealink SIP-T46S");
        });
        assertThat(e.statsFor("ua").userAgentChanges()).isEqualTo(2);
    }

    @Test
    void userAgentChangeQuietForOneDeviceOrChangesOutsideTheWindow() {
        FraudEngine e = only("  userAgentChange: {window: 1h, warning: 2}\n");
        for (int i = 0; i < 10; i++) {
            e.onCallStarted(call("s" + i, t0 + seconds(i), "steady", "1").userAgent("Yealink SIP-T46S").build());
            e.onCallStarted(call("n" + i, t0 + seconds(i), "none", "1").build()); // no User-Agent at all
        }
        e.onCallStarted(call("a", t0, "slow", "1").userAgent("A").build());
        e.onCallStarted(call("b", t0 + seconds(600), "slow", "1").userAgent("B").build());
        e.onCallStarted(call("c", t0 + seconds(600 + 3600), "slow", "1").userAgent("A").build());
        assertThat(alerts.all).isEmpty();
    }

    // ---------------------------------------------------------------- new-country

    @Test
    void newCountryFiresForACountryNotInTheLastCalls() {
        FraudEngine e = only("  newCountry: {lastCalls: 5, minHistory: 3, window: 1h, warning: 1, critical: 2}\n");
        String[] history = {"FR", "FR", "DE"};
        for (int i = 0; i < history.length; i++) {
            e.onCallStarted(call("h" + i, t0 + seconds(i), "nc", "33" + i).calledCountry(history[i]).build());
        }
        assertThat(alerts.all).isEmpty();
        e.onCallStarted(call("x", t0 + seconds(10), "nc", "5372345678").calledCountry("CU").build());
        assertThat(alerts.all).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo(AlertRule.NEW_COUNTRY);
            assertThat(a.value()).isEqualTo(1);
            assertThat(a.calledNumber()).isEqualTo("5372345678");
            assertThat(a.message()).contains("CU");
        });
        e.onCallStarted(call("y", t0 + seconds(20), "nc", "88213000123").calledCountry("XX").build());
        assertThat(alerts.newOnes()).extracting(Alert::severity).containsExactly(Severity.WARNING, Severity.CRITICAL);
        assertThat(e.statsFor("nc").recentCountries()).containsExactly("FR", "FR", "DE", "CU", "XX");
    }

    @Test
    void newCountryQuietForKnownCountriesAndShortHistories() {
        FraudEngine e = only("  newCountry: {lastCalls: 5, minHistory: 3, window: 1h, warning: 1}\n");
        String[] cc = {"FR", "DE", "FR", "DE", "FR", "DE"};
        for (int i = 0; i < cc.length; i++) {
            e.onCallStarted(call("k" + i, t0 + seconds(i), "known", "1").calledCountry(cc[i]).build());
        }
        // a new user's first calls are all "new", but there is no history to compare with yet
        e.onCallStarted(call("f1", t0, "fresh", "1").calledCountry("CU").build());
        e.onCallStarted(call("f2", t0, "fresh", "1").calledCountry("SO").build());
        e.onCallStarted(call("f3", t0, "fresh", "1").calledCountry("CU").build());
        assertThat(alerts.all).isEmpty();
    }

    // ---------------------------------------------------------------- high-risk-destination

    @Test
    void highRiskDestinationByPrefixCountryOrNumberType() {
        FraudEngine e = only("  highRiskDestination: {window: 1h, warning: 1, critical: 3, countries: [CU],"
                + " prefixes: [\"+882\"], numberTypes: [premium_rate]}\n");
        e.onCallStarted(call("p", t0, "hr", "88213000123").build());
        assertThat(alerts.all).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo(AlertRule.HIGH_RISK_DESTINATION);
            assertThat(a.severity()).isEqualTo(Severity.WARNING);
            assertThat(a.value()).isEqualTo(1);
        });
        e.onCallStarted(call("c", t0 + seconds(1), "hr", "5372345678").calledCountry("cu").build());
        e.onCallStarted(call("t", t0 + seconds(2), "hr", "4490012345").calledNumberType("PREMIUM_RATE").build());
        assertThat(alerts.newOnes()).extracting(Alert::severity).containsExactly(Severity.WARNING, Severity.CRITICAL);
        assertThat(alerts.newOnes().get(1).value()).isEqualTo(3);
    }

    @Test
    void highRiskDestinationQuietForOrdinaryNumbers() {
        FraudEngine e = only("  highRiskDestination: {window: 1h, warning: 1, countries: [CU], prefixes: [\"882\"],"
                + " numberTypes: [premium_rate]}\n");
        e.onCallStarted(call("a", t0, "ok", "4915123456789").calledCountry("DE").calledNumberType("mobile").build());
        e.onCallStarted(call("c", t0, "ok2", "88").calledCountry("DE").build()); // shorter than the prefix
        e.onCallStarted(call("d", t0, "ok2", null).build());
        assertThat(alerts.all).isEmpty();
    }

    // ---------------------------------------------------------------- cost-burn

    @Test
    void costBurnAddsRatedCostsInTheWindowAndIgnoresOtherCurrencies() {
        FraudEngine e = only("  costBurn: {window: 1h, warning: 10, critical: 20, currency: EUR}\n");
        e.onCallStarted(call("a", t0, "cb", "1").build());
        e.onCallEnded(new CallEnded("a", t0 + seconds(60), true, 60, new BigDecimal("6.00"), "EUR"));
        e.onCallStarted(call("b", t0 + seconds(70), "cb", "1").build());
        e.onCallEnded(new CallEnded("b", t0 + seconds(130), true, 60, new BigDecimal("50"), "USD"));
        e.onCallStarted(call("c", t0 + seconds(140), "cb", "1").build());
        e.onCallEnded(new CallEnded("c", t0 + seconds(200), true, 60, new BigDecimal("3.99"), "EUR"));
        assertThat(alerts.all).as("9.99 EUR").isEmpty();
        assertThat(e.metrics().costSkipped()).isEqualTo(1);
        e.onCallStarted(call("d", t0 + seconds(210), "cb", "1").build());
        e.onCallEnded(new CallEnded("d", t0 + seconds(230), true, 20, new BigDecimal("0.01"), "eur"));
        assertThat(alerts.all).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo(AlertRule.COST_BURN);
            assertThat(a.value()).isEqualTo(10.0);
            assertThat(a.threshold()).isEqualTo(10.0);
            assertThat(a.message()).contains("10 EUR");
        });
        assertThat(e.statsFor("cb").costInWindow()).isEqualTo(10.0);
    }

    @Test
    void costBurnEstimatesRunningCallsFromTheirRate() {
        FraudEngine e = only("  costBurn: {window: 1h, warning: 10, critical: 30, currency: EUR, estimateInterval: 1s}\n");
        e.onCallStarted(call("a", t0, "est", "88213000123").ratePerMinute(new BigDecimal("2.00")).build());
        e.onCallAnswered(new CallAnswered("a", t0 + seconds(2)));
        e.tick(t0 + seconds(2 + 299)); // 9.97 EUR so far
        assertThat(alerts.all).isEmpty();
        e.tick(t0 + seconds(2 + 300)); // 10.00
        assertThat(alerts.all).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo(AlertRule.COST_BURN);
            assertThat(a.value()).isEqualTo(10.0);
            assertThat(a.message()).contains("still up");
        });
        assertThat(e.metrics().liveCalls()).isEqualTo(1);
        // the call ends unrated: its estimate becomes its cost
        e.onCallEnded(CallEnded.answered("a", t0 + seconds(2 + 900), 900));
        assertThat(e.statsFor("est").costInWindow()).isEqualTo(30.0);
        assertThat(alerts.newOnes()).extracting(Alert::severity).containsExactly(Severity.WARNING, Severity.CRITICAL);
    }

    @Test
    void costBurnIsOffWithoutThresholds() {
        FraudEngine e = only("  costBurn: {window: 1h, currency: EUR}\n");
        e.onCallStarted(call("a", t0, "free", "1").build());
        e.onCallEnded(new CallEnded("a", t0 + seconds(60), true, 60, new BigDecimal("1000"), "EUR"));
        assertThat(alerts.all).isEmpty();
    }

    // ---------------------------------------------------------------- blacklisted-source

    @Test
    void blacklistedSourceFiresPerSourceIp() {
        FraudEngine e = only("  blacklistedSource: {window: 1h, warning: 1, critical: 2}\n");
        e.onCallStarted(call("a", t0, "victim", "1").sourceIp("175.16.199.10").blacklisted(List.of("voipbl")).build());
        assertThat(alerts.all).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo(AlertRule.BLACKLISTED_SOURCE);
            assertThat(a.subject()).isEqualTo("175.16.199.10");
            assertThat(a.sourceIp()).isEqualTo("175.16.199.10");
            assertThat(a.user()).isEqualTo("victim");
            assertThat(a.message()).contains("voipbl");
        });
        e.onCallStarted(call("b", t0 + 1, "other", "1").sourceIp("175.16.199.10").blacklisted(List.of("voipbl")).build());
        assertThat(alerts.newOnes()).extracting(Alert::severity).containsExactly(Severity.WARNING, Severity.CRITICAL);
    }

    @Test
    void blacklistedSourceQuietForCleanSources() {
        FraudEngine e = only("  blacklistedSource: {window: 1h, warning: 1}\n");
        e.onCallStarted(call("a", t0, "u", "1").sourceIp("81.2.69.142").blacklisted(List.of()).build());
        e.onCallStarted(call("b", t0, "u", "1").sourceIp("81.2.69.142").build());
        assertThat(alerts.all).isEmpty();
    }

    // ---------------------------------------------------------------- scanner-user-agent

    @Test
    void scannerUserAgentMatchesKnownScannersCaseInsensitively() {
        FraudEngine e = only("  scannerUserAgent: {window: 5m, warning: 1, critical: 3}\n");
        e.onSip(SipSeen.request(t0, "203.0.113.5", "OPTIONS", "friendly-scanner", "100", "100", "x1"));
        e.onSip(SipSeen.request(t0 + 1, "203.0.113.5", "REGISTER", "SIPVicious/0.3.3", "100", "100", "x2"));
        e.onSip(SipSeen.request(t0 + 2, "203.0.113.5", "INVITE", "Mozilla VaxSIPUserAgent/3.1", "100", "100", "x3"));
        assertThat(alerts.newOnes()).extracting(Alert::severity).containsExactly(Severity.WARNING, Severity.CRITICAL);
        assertThat(alerts.newOnes().get(0).subject()).isEqualTo("203.0.113.5");
        assertThat(alerts.newOnes().get(0).message()).contains("friendly-scanner");
        assertThat(alerts.newOnes().get(1).value()).isEqualTo(3);
    }

    @Test
    void scannerUserAgentQuietForPhonesAndResponses() {
        FraudEngine e = only("  scannerUserAgent: {window: 5m, warning: 1}\n");
        e.onSip(SipSeen.request(t0, "81.2.69.142", "REGISTER", "Linphone/5.2.0 (belle-sip/5.2.0)", "alice", "alice", "r1"));
        e.onSip(SipSeen.request(t0, "81.2.69.142", "INVITE", "Yealink SIP-T46S 66.86.0.15", "alice", "bob", "r2"));
        e.onSip(SipSeen.response(t0, "81.2.69.142", 404, "r3"));
        assertThat(alerts.all).isEmpty();
        assertThat(FraudEngine.scannerPattern("xx FRIENDLY-SCANNER", List.of("friendly-scanner"))).isEqualTo("friendly-scanner");
        assertThat(FraudEngine.scannerPattern("friendly", List.of("friendly-scanner"))).isNull();
    }

    // ---------------------------------------------------------------- sip-flood

    @Test
    void sipFloodCountsRequestsPerMethodAndSource() {
        FraudEngine e = only("  sipFlood: {window: 10s, register: {warning: 5, critical: 10}, invite: {warning: 3}, options: {warning: 0}}\n");
        for (int i = 0; i < 4; i++) {
            e.onSip(SipSeen.request(t0 + seconds(i), "198.51.100.23", "REGISTER", null, "u" + i, "u" + i, "r" + i));
            e.onSip(SipSeen.request(t0 + seconds(i), "198.51.100.23", "OPTIONS", null, null, null, "o" + i));
        }
        e.onSip(SipSeen.request(t0, "198.51.100.23", "INVITE", null, "a", "b", "i1"));
        e.onSip(SipSeen.request(t0, "198.51.100.24", "REGISTER", null, "a", "a", "r9")); // another source
        assertThat(alerts.all).isEmpty();
        e.onSip(SipSeen.request(t0 + seconds(4), "198.51.100.23", "REGISTER", null, "u4", "u4", "r4"));
        assertThat(alerts.all).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo(AlertRule.SIP_FLOOD);
            assertThat(a.parameter()).isEqualTo("REGISTER");
            assertThat(a.value()).isEqualTo(5);
            assertThat(a.threshold()).isEqualTo(5);
            assertThat(a.subject()).isEqualTo("198.51.100.23");
        });
    }

    @Test
    void sipFloodQuietWhenRequestsAreSpreadBeyondTheWindow() {
        FraudEngine e = only("  sipFlood: {window: 10s, register: {warning: 5}}\n");
        for (int i = 0; i < 20; i++) { // one REGISTER every 3 s: at most 4 in any 10 s
            e.onSip(SipSeen.request(t0 + seconds(3L * i), "81.2.69.142", "REGISTER", null, "alice", "alice", "r" + i));
        }
        assertThat(alerts.all).isEmpty();
    }

    // ---------------------------------------------------------------- auth-failure-ratio

    @Test
    void authFailureRatioNeedsTheMinimumSample() {
        FraudEngine e = only("  authFailureRatio: {window: 60s, minSamples: 10, warning: 0.5, critical: 0.9}\n");
        for (int i = 0; i < 9; i++) {
            e.onSip(SipSeen.response(t0 + i, "203.0.113.9", 404, "c" + i));
        }
        assertThat(alerts.all).as("9 responses < minSamples 10").isEmpty();
        e.onSip(SipSeen.response(t0 + 10, "203.0.113.9", 403, "c9"));
        assertThat(alerts.all).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo(AlertRule.AUTH_FAILURE_RATIO);
            assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(a.value()).isEqualTo(1.0);
            assertThat(a.threshold()).isEqualTo(0.9);
        });
    }

    @Test
    void authFailureRatioWarnsAtTheWarningRatio() {
        FraudEngine e = only("  authFailureRatio: {window: 60s, minSamples: 10, warning: 0.5, critical: 0.9}\n");
        for (int i = 0; i < 5; i++) {
            e.onSip(SipSeen.response(t0 + i, "203.0.113.9", 200, "ok" + i));
        }
        for (int i = 0; i < 4; i++) {
            e.onSip(SipSeen.response(t0 + 10 + i, "203.0.113.9", 401, "f" + i));
        }
        e.onSip(SipSeen.response(t0 + 20, "203.0.113.9", 180, "ringing")); // provisional: not counted
        e.onSip(SipSeen.response(t0 + 21, "203.0.113.9", 486, "busy"));    // a failure, but not an auth one
        e.onSip(SipSeen.response(t0 + 22, "203.0.113.9", 401, "f4"));
        assertThat(alerts.all).as("4 of 10, then 5 of 11").isEmpty();
        e.onSip(SipSeen.response(t0 + 23, "203.0.113.9", 407, "f5"));
        assertThat(alerts.all).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(Severity.WARNING);
            assertThat(a.value()).isEqualTo(0.5);  // 6 of 12
            assertThat(a.threshold()).isEqualTo(0.5);
        });
    }

    @Test
    void ordinaryDigestAuthenticationIsQuietWithTheDefaults() {
        FraudEngine e = new FraudEngine(config(dir, "alerts: {updateInterval: 0}\n"), alerts);
        for (int i = 0; i < 40; i++) { // REGISTER -> 401 -> REGISTER with credentials -> 200, every 30 s
            long t = t0 + seconds(30L * i);
            e.onSip(SipSeen.request(t, "81.2.69.142", "REGISTER", "Yealink SIP-T46S", "alice", "alice", "r" + i));
            e.onSip(SipSeen.response(t + 1000, "81.2.69.142", 401, "r" + i));
            e.onSip(SipSeen.request(t + 2000, "81.2.69.142", "REGISTER", "Yealink SIP-T46S", "alice", "alice", "r" + i));
            e.onSip(SipSeen.response(t + 3000, "81.2.69.142", 200, "r" + i));
        }
        assertThat(alerts.all).isEmpty();
    }

    // ---------------------------------------------------------------- irsf-short-calls

    @Test
    void irsfFiresOnManyShortAnsweredPremiumCalls() {
        FraudEngine e = only("  irsfShortCalls: {window: 10m, maxDuration: 10s, warning: 3, numberTypes: [premium_rate]}\n");
        for (int i = 0; i < 3; i++) {
            long t = t0 + seconds(20L * i);
            e.onCallStarted(call("p" + i, t, "irsf", "88213000" + i).calledNumberType("premium_rate").build());
            e.onCallAnswered(new CallAnswered("p" + i, t + seconds(1)));
            e.onCallEnded(CallEnded.answered("p" + i, t + seconds(6), 5));
        }
        assertThat(alerts.all).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo(AlertRule.IRSF_SHORT_CALLS);
            assertThat(a.value()).isEqualTo(3);
            assertThat(a.callId()).isEqualTo("p2");
        });
    }

    @Test
    void irsfUsesTheHighRiskListWhenItHasNoneAndIgnoresLongOrOrdinaryCalls() {
        FraudEngine e = only("  irsfShortCalls: {window: 10m, maxDuration: 10s, warning: 3}\n"
                + "  highRiskDestination: {enabled: false, prefixes: [\"882\"]}\n");
        for (int i = 0; i < 3; i++) {
            long t = t0 + seconds(20L * i);
            e.onCallStarted(call("long" + i, t, "q", "882130001").build());
            e.onCallEnded(CallEnded.answered("long" + i, t + seconds(31), 30));        // too long
            e.onCallStarted(call("mob" + i, t, "q", "4915123456789").build());
            e.onCallEnded(CallEnded.answered("mob" + i, t + seconds(3), 3));           // not premium
            e.onCallStarted(call("fail" + i, t, "q", "882130001").build());
            e.onCallEnded(CallEnded.failed("fail" + i, t + seconds(3)));               // not answered
        }
        assertThat(alerts.all).isEmpty();
        for (int i = 0; i < 3; i++) {
            e.onCallStarted(call("short" + i, t0 + seconds(100 + i), "q", "882130001").build());
            e.onCallEnded(CallEnded.answered("short" + i, t0 + seconds(104 + i), 4));
        }
        assertThat(alerts.all).hasSize(1);
    }
}
