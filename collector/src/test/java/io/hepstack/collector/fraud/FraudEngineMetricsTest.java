package io.hepstack.collector.fraud;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.hepstack.collector.fraud.rules.FraudConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.hepstack.collector.fraud.FraudTestSupport.CHECKS_OFF;
import static io.hepstack.collector.fraud.FraudTestSupport.at;
import static io.hepstack.collector.fraud.FraudTestSupport.call;
import static io.hepstack.collector.fraud.FraudTestSupport.config;
import static io.hepstack.collector.fraud.FraudTestSupport.seconds;
import static org.assertj.core.api.Assertions.assertThat;

/** The engine's counters in a Dropwizard MetricRegistry. */
class FraudEngineMetricsTest {

    @TempDir
    Path dir;

    private final FraudTestSupport.Recorder alerts = new FraudTestSupport.Recorder();
    private final long t0 = at("2026-01-05T10:00:00Z");

    private FraudEngine engine() {
        FraudConfig c = config(dir, "timeZone: UTC\ndefaultProfile: 1\nalerts: {updateInterval: 0}\n" + CHECKS_OFF
                + "rules:\n  - {ruleid: 7, profileid: 1, prefix: \"\", start_hour: \"00:00\", end_hour: \"24:00\","
                + " daysoftheweek: \"\", cpm_warning: 3, cpm_critical: 5}\n");
        return new FraudEngine(c, alerts);
    }

    /** Five calls in five seconds: a calls-per-minute warning and a critical one. */
    private void burst(FraudEngine e) {
        for (int i = 1; i <= 5; i++) {
            e.onCallStarted(call("c" + i, t0 + seconds(i), "alice", "4930901820").build());
        }
        e.onCallAnswered(new CallAnswered("c1", t0 + seconds(6)));
        e.onCallEnded(CallEnded.answered("c1", t0 + seconds(20), 14));
        e.onCallEnded(CallEnded.failed("never-started", t0 + seconds(21)));
        e.onSip(SipSeen.request(t0 + seconds(22), "192.0.2.10", "OPTIONS", null, null, null, "o1"));
        e.tick(t0 + seconds(23));
    }

    private static long value(MetricRegistry registry, String name) {
        Gauge<?> g = registry.getGauges().get(name);
        assertThat(g).as(name).isNotNull();
        return ((Number) g.getValue()).longValue();
    }

    @Test
    void registryShowsTheCountsOfABurst() {
        MetricRegistry registry = new MetricRegistry();
        FraudEngine e = engine();
        e.registerMetrics(registry, "fraud");
        assertThat(value(registry, "fraud.calls.started")).isZero();

        burst(e);

        assertThat(alerts.newOnes()).extracting(Alert::severity).containsExactly(Severity.WARNING, Severity.CRITICAL);
        assertThat(value(registry, "fraud.calls.started")).isEqualTo(5);
        assertThat(value(registry, "fraud.calls.answered")).isEqualTo(1);
        assertThat(value(registry, "fraud.calls.ended")).isEqualTo(2);
        assertThat(value(registry, "fraud.calls.unknown")).isEqualTo(1);
        assertThat(value(registry, "fraud.calls.live")).isEqualTo(4);
        assertThat(value(registry, "fraud.sip.seen")).isEqualTo(1);
        assertThat(value(registry, "fraud.ticks")).isEqualTo(1);
        assertThat(value(registry, "fraud.users.live")).isEqualTo(1);
        assertThat(value(registry, "fraud.sources.live")).isEqualTo(1);
        assertThat(value(registry, "fraud.alerts.raised")).isEqualTo(2);
        assertThat(value(registry, "fraud.alerts.raised.calls-per-minute")).isEqualTo(2);
        assertThat(value(registry, "fraud.alerts.raised.calls-per-minute.warning")).isEqualTo(1);
        assertThat(value(registry, "fraud.alerts.raised.calls-per-minute.critical")).isEqualTo(1);
        assertThat(value(registry, "fraud.alerts.raised.total-calls")).isZero();
        assertThat(value(registry, "fraud.alerts.updates")).isEqualTo(alerts.all.size() - 2);
        assertThat(value(registry, "fraud.alerts.published")).isEqualTo(alerts.all.size());
        assertThat(value(registry, "fraud.alerts.open")).isEqualTo(2);
        assertThat(value(registry, "fraud.listener.errors")).isZero();
        assertThat(value(registry, "fraud.config.version")).isEqualTo(1);
        for (String name : List.of("users.expired", "users.evicted", "sources.expired", "sources.evicted",
                "calls.expired", "calls.duplicate_starts", "cost.skipped")) {
            assertThat(value(registry, "fraud." + name)).as(name).isZero();
        }
    }

    @Test
    void everyFraudMetricsComponentHasAGaugeWithItsValue() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        FraudEngine e = engine();
        List<String> names = e.registerMetrics(registry, "fraud");
        burst(e);

        FraudMetrics m = e.metrics();
        for (RecordComponent c : FraudMetrics.class.getRecordComponents()) {
            String name = FraudEngineMetrics.nameOf(c.getName());
            assertThat(name).as("metric name of FraudMetrics." + c.getName()).isNotNull();
            Object v = c.getAccessor().invoke(m);
            long expected = v instanceof Map ? m.alertsCreatedTotal() : ((Number) v).longValue();
            assertThat(value(registry, "fraud." + name)).as(c.getName()).isEqualTo(expected);
        }
        for (AlertRule rule : AlertRule.values()) {
            assertThat(registry.getGauges()).containsKey("fraud.alerts.raised." + rule.code());
            for (Severity s : Severity.values()) {
                assertThat(value(registry, "fraud.alerts.raised." + rule.code() + "." + s.code()))
                        .isEqualTo(m.alertsCreated().getOrDefault(rule.code() + "/" + s.code(), 0L));
            }
        }
        assertThat(registry.getNames()).containsExactlyInAnyOrderElementsOf(names)
                .hasSize(FraudMetrics.class.getRecordComponents().length
                        + AlertRule.values().length * (1 + Severity.values().length));
    }

    @Test
    void aNewEngineReplacesTheOldOnesMetrics() {
        MetricRegistry registry = new MetricRegistry();
        FraudEngine old = engine();
        old.registerMetrics(registry, "fraud");
        burst(old);
        FraudEngine fresh = engine();
        fresh.registerMetrics(registry, "fraud");
        assertThat(value(registry, "fraud.calls.started")).isZero();

        MetricRegistry bare = new MetricRegistry();
        fresh.registerMetrics(bare, "");
        assertThat(bare.getGauges()).containsKey("calls.started");
    }
}
