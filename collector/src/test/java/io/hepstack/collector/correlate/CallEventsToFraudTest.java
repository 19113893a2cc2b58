package io.hepstack.collector.correlate;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepstack.collector.fraud.FraudEngine;
import io.hepstack.collector.fraud.FraudStage;
import io.hepstack.collector.fraud.FraudMetrics;
import io.hepstack.collector.fraud.UserFraudStats;
import io.hepstack.collector.fraud.rules.FraudConfig;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.enricher.Enricher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls through parse + correlate with the sample enricher, feeding a real {@link FraudEngine}
 * through the fraud stage (call events on the batch); the TDR carries the same enrichment and price (SOURCES.md: hepgen
 * call 5, +447700900123 for 97 s from 175.16.199.10 = 0.0889 USD; 175.16.199.10 is on voipbl).
 */
class CallEventsToFraudTest {

    private static Enricher enricher;

    @BeforeAll
    static void start() {
        enricher = TestEnricher.build();
    }

    @AfterAll
    static void stop() {
        enricher.close();
    }

    @Test
    void callsAndSipMessagesReachTheFraudEngineWithTheTdrData() {
        FraudEngine engine = new FraudEngine(FraudConfig.defaults());
        Harness h = new Harness(Harness.inArrivalOrder(new CorrelationConfig()), enricher, engine);

        TestSip.Dialog d = new TestSip.Dialog("fraud-1@test");
        d.callerIp = "175.16.199.10";
        d.calleeIp = "192.0.2.10";
        d.fromUser = "+8643188881234";
        d.toUser = "+447700900123";
        d.toHost = "sbc.example.net";
        TestSip.Msg bye = d.inDialog("BYE", true, 2, "z9hG4bK-bye", 98_500);
        TestSip.Msg ok = d.reply(200, "OK", 1_500);
        List<CapturedMessage> in = h.batch(d.invite(0), d.reply(180, "Ringing", 600), ok, ok.copy().at(1_900),
                d.inDialog("ACK", true, 1, "z9hG4bK-ack", 1_910), bye, d.answer(bye, 200, "OK", 98_600));

        TestSip.Dialog busy = new TestSip.Dialog("fraud-2@test");
        busy.t0 = d.at(100_000);
        busy.callerIp = "175.16.199.10";
        busy.fromUser = "+8643188881234";
        busy.toUser = "+33142685300";
        in.addAll(h.batch(busy.invite(0), busy.reply(486, "Busy Here", 2_000)));

        FraudMetrics fm = engine.metrics();
        assertThat(fm.callsStarted()).isEqualTo(2);
        assertThat(fm.callsAnswered()).isEqualTo(1);
        assertThat(fm.callsEnded()).isEqualTo(2);
        assertThat(fm.sipSeen()).as("every SIP message but the retransmitted 200")
                .isEqualTo(in.stream().filter(m -> !m.duplicate).count()).isEqualTo(8);
        assertThat(fm.liveCalls()).isZero();
        UserFraudStats user = engine.statsFor("+8643188881234");
        assertThat(user).isNotNull();
        assertThat(user.userAgent()).isEqualTo("TestPhone/1.0");
        // +447700900123 is Ofcom's drama range: e.164 but not a valid number, so no region; +33142685300 is Paris
        assertThat(user.recentCountries()).containsExactly("FR");

        List<CallEvent> ended = h.events.stream().filter(e -> e.type() == CallEvent.Type.ENDED).toList();
        assertThat(ended).hasSize(2);
        CallSummary c = ended.get(0).call();
        assertThat(c.callId()).isEqualTo("fraud-1@test");
        assertThat(c.durationSeconds()).isEqualTo(97);
        assertThat(ended.get(0).rating().cost()).isEqualByComparingTo("0.0889");
        assertThat(c.source().blacklisted()).isTrue();
        assertThat(FraudStage.calledNumber(c)).isEqualTo("447700900123");
        assertThat(ended.get(1).call().status()).isEqualTo(TdrStatus.USER_BUSY);

        JsonNode doc = h.sink.call("fraud-1@test");
        assertThat(doc.path("rating").path("cost").decimalValue()).isEqualByComparingTo("0.0889");
        assertThat(doc.path("rating").path("prefix").asText()).isEqualTo("447");
        assertThat(doc.path("rating").path("billed_s").asLong()).isEqualTo(97);
        assertThat(doc.path("tdr").path("callee").path("number").path("e164").asText()).isEqualTo("+447700900123");
        assertThat(doc.path("tdr").path("callee").path("number").path("country_code").asInt()).isEqualTo(44);
        assertThat(doc.path("tdr").path("callee").path("number").path("valid").asBoolean()).isFalse();
        assertThat(doc.path("tdr").path("caller").path("number").path("region_code").asText()).isEqualTo("CN");
        assertThat(doc.path("source").path("geo").path("city_name").asText()).isEqualTo("Changchun");
        assertThat(doc.path("source").path("blacklist").path("lists").get(0).asText()).isEqualTo("voipbl");
        assertThat(doc.path("blacklist").path("hit").asBoolean()).isTrue();
        JsonNode busyDoc = h.sink.call("fraud-2@test");
        assertThat(busyDoc.path("rating").path("cost").decimalValue()).as("not answered").isEqualByComparingTo("0");
    }
}
