package io.hepstack.tools.hepgen;

import io.hepstack.collector.correlate.CorrelationConfig;
import io.hepstack.collector.correlate.Harness;
import io.hepstack.collector.fraud.Alert;
import io.hepstack.collector.fraud.FraudEngine;
import io.hepstack.collector.fraud.FraudMetrics;
import io.hepstack.collector.fraud.rules.FraudConfigLoader;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Transport;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole call arriving in one batch (a replay, a burst) must reach the fraud engine in capture
 * order: call start before the later SIP summaries, so the engine's clock does not run past the
 * call's setup timeout before it has even heard of the call (it then expired the call and missed
 * its 700 s duration).
 */
class FraudEventOrderTest {

    @Test
    void aLongPremiumCallInOneBatchRaisesItsDurationAlert() throws Exception {
        long start = Instant.parse("2026-03-03T09:00:00Z").toEpochMilli() * 1000;
        TrafficConfig cfg = TrafficConfig.builder().seed(3).startMicros(start).calls(1).registrations(0)
                .callsPerSecond(1).users(1).callerNumbers(List.of("+441865270100")).callerIps(List.of("2.125.160.216"))
                .destinations(1).destinationNumbers(List.of("+88213000123")).callMix(Map.of(CallOutcome.ANSWERED, 1))
                .callDuration(DurationDistribution.parse("fixed:700")).rtcp(false).logs(false).build();
        List<Alert> alerts = new ArrayList<>();
        FraudEngine engine = new FraudEngine(new FraudConfigLoader().load(Path.of("../samples/fraud/fraud-rules.yml")), alerts::add);
        List<CapturedMessage> batch = new ArrayList<>();
        for (HepTrafficModel m = new HepTrafficModel(cfg); m.hasNext(); ) {
            batch.add(new CapturedMessage(m.next().hep(), Transport.UDP, null));
        }
        new Harness(Harness.inArrivalOrder(new CorrelationConfig()), null, engine).run(batch); // one batch: parse, correlate, fraud

        FraudMetrics fm = engine.metrics();
        assertThat(fm.unknownCalls()).isZero();
        assertThat(fm.expiredCalls()).isZero();
        assertThat(alerts).anySatisfy(a -> {
            assertThat(a.rule().code()).isEqualTo("call-duration");
            assertThat(a.severity().code()).isEqualTo("critical");
            assertThat(a.value()).isEqualTo(700);
        });
    }
}
