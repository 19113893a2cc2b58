package io.hepstack.collector.fraud;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.hepstack.collector.fraud.FraudTestSupport.CHECKS_OFF;
import static io.hepstack.collector.fraud.FraudTestSupport.at;
import static io.hepstack.collector.fraud.FraudTestSupport.call;
import static io.hepstack.collector.fraud.FraudTestSupport.config;
import static io.hepstack.collector.fraud.FraudTestSupport.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One alert per subject, rule, severity and window; deterministic ids; publication throttling. */
class AlertDedupTest {

    @TempDir
    Path dir;

    private final FraudTestSupport.Recorder alerts = new FraudTestSupport.Recorder();
    private final long t0 = at("2026-01-05T10:00:00Z"); // a multiple of the 300 s window

    private FraudEngine engine(String alertsYaml) {
        return new FraudEngine(config(dir, "defaultProfile: 1\nalerts: " + alertsYaml + "\n" + CHECKS_OFF + "rules:\n"
                + "  - {ruleid: 1, profileid: 1, prefix: \"\", start_hour: \"00:00\", end_hour: \"24:00\", daysoftheweek: \"\","
                + " cpm_warning: 2, cpm_critical: 10}\n"), alerts);
    }

    @Test
    void aRepeatInTheSameWindowUpdatesTheSameAlert() {
        FraudEngine e = engine("{window: 5m, updateInterval: 0}");
        e.onCallStarted(call("a", t0, "zoe", "1").build());
        e.onCallStarted(call("b", t0 + seconds(1), "zoe", "1").build());
        e.onCallStarted(call("c", t0 + seconds(2), "zoe", "1").build());
        assertThat(alerts.all).hasSize(2);
        Alert first = alerts.all.get(0);
        Alert second = alerts.all.get(1);
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(first.count()).isEqualTo(1);
        assertThat(second.count()).isEqualTo(2);
        assertThat(second.value()).isEqualTo(3);
        assertThat(second.timestampMicros()).isEqualTo(t0 + seconds(1));
        assertThat(second.lastSeenMicros()).isEqualTo(t0 + seconds(2));
        assertThat(second.callId()).isEqualTo("c");
        assertThat(second.windowStartMicros()).isEqualTo(t0);
        assertThat(second.windowEndMicros()).isEqualTo(t0 + seconds(300));
        assertThat(e.recentAlerts(10)).singleElement().isEqualTo(second);
        assertThat(e.metrics().alertsCreated()).isEqualTo(Map.of("calls-per-minute/warning", 1L));
        assertThat(e.metrics().alertUpdates()).isEqualTo(1);

        // the next window is a new alert with a new id
        e.onCallStarted(call("d", t0 + seconds(300), "zoe", "1").build());
        e.onCallStarted(call("e", t0 + seconds(301), "zoe", "1").build());
        Alert third = alerts.all.get(alerts.all.size() - 1);
        assertThat(third.count()).isEqualTo(1);
        assertThat(third.id()).isNotEqualTo(first.id());
        assertThat(e.recentAlerts(10)).extracting(Alert::id).containsExactly(third.id(), first.id());
        assertThat(e.recentAlerts(1)).extracting(Alert::id).containsExactly(third.id());
    }

    @Test
    void theIdIsAHashOfRuleParameterSubjectSeverityAndWindowStart() throws Exception {
        FraudEngine e = engine("{window: 5m, updateInterval: 0}");
        e.onCallStarted(call("a", t0 + seconds(7), "zoe", "1").build());
        e.onCallStarted(call("b", t0 + seconds(8), "zoe", "1").build());
        String key = "calls-per-minute\0calls-per-minute\0zoe\0warning\0" + t0;
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        assertThat(alerts.all.get(0).id()).isEqualTo(HexFormat.of().formatHex(sha, 0, 16));

        // a replay of the same events gives the same id
        FraudTestSupport.Recorder again = new FraudTestSupport.Recorder();
        FraudEngine replay = new FraudEngine(e.config(), again);
        replay.onCallStarted(call("a", t0 + seconds(7), "zoe", "1").build());
        replay.onCallStarted(call("b", t0 + seconds(8), "zoe", "1").build());
        assertThat(again.all.get(0).id()).isEqualTo(alerts.all.get(0).id());
        assertThat(Alert.idFor(AlertRule.CALLS_PER_MINUTE, "calls-per-minute", "zoe", Severity.CRITICAL, t0))
                .isNotEqualTo(alerts.all.get(0).id());
    }

    @Test
    void repeatsArePublishedAtMostOncePerUpdateIntervalAndOnceMoreWhenTheWindowCloses() {
        FraudEngine e = engine("{window: 5m, updateInterval: 30s}");
        for (int i = 0; i < 6; i++) {
            e.onCallStarted(call("c" + i, t0 + seconds(i), "yan", "1").build());
        }
        assertThat(alerts.all).as("only the new alert so far").hasSize(1);
        assertThat(e.recentAlerts(5).get(0).count()).as("but the API shows the latest count").isEqualTo(5);
        e.onCallStarted(call("c6", t0 + seconds(31), "yan", "1").build()); // cpm 7, 30 s after the first publication
        assertThat(alerts.all).hasSize(2);
        assertThat(alerts.all.get(1).count()).isEqualTo(6);
        e.onCallStarted(call("c7", t0 + seconds(32), "yan", "1").build());
        assertThat(alerts.all).hasSize(2);
        e.tick(t0 + seconds(299));
        assertThat(alerts.all).hasSize(2);
        e.tick(t0 + seconds(300));
        assertThat(alerts.all).hasSize(3);
        assertThat(alerts.all.get(2).count()).as("the final count when the window closes").isEqualTo(7);
        assertThat(alerts.all).extracting(Alert::id).containsOnly(alerts.all.get(0).id());
        e.tick(t0 + seconds(900));
        assertThat(alerts.all).hasSize(3);
        assertThat(e.metrics().openAlerts()).isZero();
    }

    @Test
    void warningAndCriticalAreSeparateAlerts() {
        FraudEngine e = engine("{window: 5m, updateInterval: 0}");
        for (int i = 0; i < 11; i++) {
            e.onCallStarted(call("c" + i, t0 + seconds(i), "xia", "1").build());
        }
        List<Alert> recent = e.recentAlerts(10);
        assertThat(recent).extracting(Alert::severity).containsExactly(Severity.CRITICAL, Severity.WARNING);
        assertThat(recent.get(0).count()).as("calls 10 and 11").isEqualTo(2);
        assertThat(recent.get(1).count()).as("calls 2..9").isEqualTo(8);
        assertThat(recent.get(0).id()).isNotEqualTo(recent.get(1).id());
    }

    @Test
    void aFailingListenerIsCountedAndDoesNotStopOthers() {
        FraudTestSupport.Recorder ok = new FraudTestSupport.Recorder();
        AlertListener broken = a -> {
            throw new IllegalStateException("index down");
        };
        FraudEngine e = new FraudEngine(() -> engine("{updateInterval: 0}").config(), List.of(broken, ok));
        e.onCallStarted(call("a", t0, "w", "1").build());
        e.onCallStarted(call("b", t0, "w", "1").build());
        assertThat(ok.all).hasSize(1);
        assertThat(e.metrics().listenerErrors()).isEqualTo(1);
    }

    @Test
    void theRecentRingIsBoundedAndAlertsSerialiseToJson() {
        FraudEngine e = engine("{window: 1m, updateInterval: 0, recent: 3}");
        for (int i = 0; i < 10; i++) {
            e.onCallStarted(call("a" + i, t0 + seconds(120L * i), "v", "1").build());
            e.onCallStarted(call("b" + i, t0 + seconds(120L * i + 1), "v", "1").build());
        }
        assertThat(e.recentAlerts(100)).hasSize(3);
        Map<String, Object> json = e.recentAlerts(1).get(0).toJsonMap();
        assertThat(json).containsEntry("rule", "calls-per-minute").containsEntry("severity", "warning")
                .containsEntry("value", 2L).containsEntry("threshold", 2L).containsEntry("user", "v")
                .containsEntry("rule_id", 1).containsEntry("profile_id", 1).containsEntry("count", 1L)
                .containsEntry("@timestamp", "2026-01-05T10:18:01Z")
                .containsEntry("window_start", "2026-01-05T10:18:00Z");
        assertThatThrownBy(() -> e.recentAlerts(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
