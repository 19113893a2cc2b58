package io.hepstack.collector.correlate;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.index.IndexRequest;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.parse.ParseStage;
import io.hepstack.collector.pipeline.Transport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Memory bounds, write throttling, versions, index naming, the capture clock and configuration checks. */
class BoundsAndWritesTest {

    @Test
    void theLeastRecentlyActiveCallIsEvictedBeyondMaxCalls() {
        CorrelationConfig c = new CorrelationConfig();
        c.maxCalls = 2;
        Harness h = new Harness(c);
        TestSip.Dialog a = new TestSip.Dialog("evict-a@test");
        TestSip.Dialog b = new TestSip.Dialog("evict-b@test");
        TestSip.Dialog x = new TestSip.Dialog("evict-c@test");
        h.batch(a.invite(0), b.invite(10), a.reply(180, "Ringing", 20), x.invite(30));
        assertThat(h.stage.liveCalls()).isEqualTo(2);
        assertThat(h.meter("correlate.evictions")).isEqualTo(1);
        JsonNode evicted = h.sink.call("evict-b@test").path("tdr");
        assertThat(evicted.path("state").asText()).isEqualTo("evicted");
        assertThat(evicted.path("final").asBoolean()).isFalse();
        assertThat(evicted.path("ended_by").asText()).isEqualTo("evicted");
        assertThat(h.stage.correlator().call("evict-a@test")).isNotNull();
        assertThat(h.stage.correlator().call("evict-b@test")).isNull();
        assertThat(h.gauge("correlate.calls.live")).isEqualTo(2);
        // its late messages start nothing new
        h.batch(b.reply(200, "OK", 1_000));
        assertThat(h.meter("correlate.late")).isEqualTo(1);
        assertThat(h.sink.versions(evicted.path("id").asText())).hasSize(1);
    }

    @Test
    void rtcpEveryTenthOfASecondIsWrittenAtMostOncePerMediaUpdateInterval() {
        Harness h = new Harness();
        TestSip.Dialog d = new TestSip.Dialog("throttle-1@test");
        h.batch(d.invite(0), d.reply(200, "OK", 1_000).sdp("10.2.2.2", 5000, "PCMU/8000"));
        String id = h.sink.call(d.callId).path("tdr").path("id").asText();
        int before = h.sink.versions(id).size();
        // 25 s of reports, 10 a second: the call's SIP state does not change, so its TDR is written
        // at most once per mediaUpdateInterval (10 s), not once a second
        for (int i = 1; i <= 250; i++) {
            h.packets(rtcp(d, i));
        }
        int written = h.sink.versions(id).size() - before;
        assertThat(written).isBetween(2, 3);
        List<IndexRequest> reqs = h.sink.requestsFor(id);
        for (int i = 1; i < reqs.size(); i++) {
            assertThat(reqs.get(i).externalVersion()).isGreaterThan(reqs.get(i - 1).externalVersion());
        }
        h.flush();
        assertThat(h.sink.call(d.callId).path("tdr").path("messages").path("rtcp").asInt()).isEqualTo(250);
        assertThat(h.sink.flushes).isEqualTo(1);
    }

    @Test
    void aSipChangeAmongMediaReportsIsWrittenWithinTheUpdateIntervalWithTheReportsSoFar() {
        Harness h = new Harness();
        TestSip.Dialog d = new TestSip.Dialog("throttle-2@test");
        h.batch(d.invite(0), d.reply(200, "OK", 1_000).sdp("10.2.2.2", 5000, "PCMU/8000"));
        String id = h.sink.call(d.callId).path("tdr").path("id").asText();
        int before = h.sink.versions(id).size();
        for (int i = 1; i <= 20; i++) { // 1.1 s .. 3.0 s: media only, not written yet
            h.packets(rtcp(d, i));
        }
        assertThat(h.sink.versions(id).size()).isEqualTo(before);
        h.batch(d.inDialog("INFO", true, 2, "z9hG4bK-info", 3_500)); // a SIP change: due (1 s since the last write)
        assertThat(h.sink.versions(id).size()).isEqualTo(before + 1);
        assertThat(h.sink.call(d.callId).path("tdr").path("messages").path("rtcp").asInt()).as("the reports so far")
                .isEqualTo(20);
        h.packets(rtcp(d, 36)); // 4.6 s: media only again, 1.1 s after that write: not yet
        assertThat(h.sink.versions(id).size()).isEqualTo(before + 1);
    }

    @Test
    void aPlainAckOrARetransmissionWaitsForTheNextWriteAndIsCountedInIt() {
        Harness h = new Harness();
        TestSip.Dialog d = new TestSip.Dialog("quiet-1@test");
        h.batch(d.invite(0), d.reply(200, "OK", 1_000).sdp("10.2.2.2", 5000, "PCMU/8000"));
        String id = h.sink.call(d.callId).path("tdr").path("id").asText();
        int before = h.sink.versions(id).size();
        h.batch(d.inDialog("ACK", true, 1, "z9hG4bK-ack", 2_500)); // nothing a live view shows: counts only
        h.batch(d.reply(200, "OK", 3_000).sdp("10.2.2.2", 5000, "PCMU/8000")); // a retransmission of the answer
        assertThat(h.sink.versions(id).size()).isEqualTo(before);
        TestSip.Msg bye = d.inDialog("BYE", true, 2, "z9hG4bK-bye", 5_000);
        h.batch(bye); // the call ends: written, with the ACK and the retransmission
        assertThat(h.sink.versions(id).size()).isEqualTo(before + 1);
        JsonNode tdr = h.sink.call(d.callId).path("tdr");
        assertThat(tdr.path("status").asText()).isEqualTo("FINISHED");
        assertThat(tdr.path("messages").path("sip").asInt()).isEqualTo(5);
        assertThat(tdr.path("messages").path("retransmissions").asInt()).isEqualTo(1);
    }

    private static io.hepstack.collector.hep.HepPacket rtcp(TestSip.Dialog d, int i) {
        return TestSip.rtcp("10.2.2.2", 5001, "10.1.1.1", 4001, d.at(1_000 + i * 100L), d.callId,
                222, 111, 100L * i, 0, 0, 100L * i, 8);
    }

    @Test
    void aCallIsIndexedUnderTheDayItStartedEvenWhenItEndsTheNextDay() {
        Harness h = new Harness();
        TestSip.Dialog d = new TestSip.Dialog("midnight-1@test");
        d.t0 = TestSip.micros("2002-01-01T23:59:59.500Z");
        TestSip.Msg bye = d.inDialog("BYE", true, 2, "z9hG4bK-bye", 10_000);
        h.each(d.invite(0), d.reply(200, "OK", 1_000), bye);
        String id = h.sink.call(d.callId).path("tdr").path("id").asText();
        assertThat(h.sink.requestsFor(id)).extracting(IndexRequest::index).containsOnly("hep-tdr-2002.01.01");
        assertThat(h.sink.call(d.callId).path("tdr").path("end").asText()).isEqualTo("2002-01-02T00:00:09.500000Z");
    }

    @Test
    void aBogusFutureTimestampDoesNotExpireLiveCalls() {
        TestSip.Dialog d = new TestSip.Dialog("clock-1@test");
        AtomicLong wall = new AtomicLong(d.at(1_000));
        Harness h = new Harness(Harness.inArrivalOrder(new CorrelationConfig()), null, null, wall::get);
        RecordingSink sink = h.sink;
        CorrelateStage stage = h.stage;
        List<CapturedMessage> batch = new ArrayList<>();
        batch.add(new CapturedMessage(d.invite(0).hep(), Transport.UDP, null));
        batch.add(new CapturedMessage(d.reply(180, "Ringing", 100).hep(), Transport.UDP, null));
        batch.add(new CapturedMessage(TestSip.log(TestSip.micros("2092-06-01T00:00:00Z"), null, "bogus clock"), Transport.UDP, null));
        h.run(batch);
        h.tick(TestSip.micros("2092-06-01T00:00:01Z"));
        assertThat(stage.correlator().clock()).isEqualTo(d.at(1_000) + 10_000_000);
        assertThat(sink.call(d.callId).path("tdr").path("status").asText()).isEqualTo("RINGING");
        wall.set(d.at(200_000));
        h.tick(d.at(200_000));
        assertThat(sink.call(d.callId).path("tdr").path("status").asText()).isEqualTo("HARD_FAILURE");
    }

    @Test
    void aCallIdReusedAfterItsCallClosedIsANewTdr() {
        Harness h = new Harness();
        TestSip.Dialog d = new TestSip.Dialog("reused@test");
        h.batch(d.invite(0), d.reply(486, "Busy Here", 100));
        h.tick(d.at(100 + 10_000));
        assertThat(h.stage.liveCalls()).isZero();
        // a retransmitted INVITE of the closed call is late; a new INVITE with a higher CSeq is a new call
        h.batch(d.invite(11_000));
        assertThat(h.meter("correlate.late")).isEqualTo(1);
        d.cseq = 5;
        d.branch = "z9hG4bK-again";
        h.batch(d.invite(20_000), d.reply(200, "OK", 21_000));
        List<JsonNode> calls = h.sink.ofType("call");
        assertThat(calls).hasSize(2);
        assertThat(calls).extracting(c -> c.path("tdr").path("status").asText()).containsExactly("USER_BUSY", "ANSWERED");
        assertThat(calls.get(1).path("tdr").path("id").asText())
                .isEqualTo(io.hepstack.collector.document.DocumentIds.ofKey("call:reused@test#2"));
    }

    @Test
    void badConfigurationIsRefusedWithTheBadValues() {
        CorrelationConfig c = new CorrelationConfig();
        c.maxCalls = 0;
        c.setupTimeout = io.dropwizard.util.Duration.seconds(0);
        c.linkHeaders = List.of("X-CID", ";icid");
        // Bean Validation, as Dropwizard reports it at start-up (there with the file and line)
        assertThat(c.validate()).containsExactly("linkHeaders[1].<list element> is not a header name or Name;param",
                "maxCalls must be positive", "setupTimeout must be a positive duration");
        assertThatThrownBy(() -> new Harness(c))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxCalls must be positive");
    }

    @Test
    void disabledPassesMessagesThroughUntouched() {
        CorrelationConfig c = new CorrelationConfig();
        c.enabled = false;
        Harness h = new Harness(c);
        List<CapturedMessage> in = h.batch(new TestSip.Dialog("off@test").invite(0));
        h.tick(TestSip.T0 + 1_000_000);
        h.flush();
        assertThat(in.get(0).callId).isNull();
        assertThat(h.sink.requests).isEmpty();
    }

    @Test
    void aMessageWithoutCallIdOrUnparsableIsCountedNotFatal() {
        Harness h = new Harness();
        TestSip.Dialog d = new TestSip.Dialog("x");
        TestSip.Msg noCallId = d.invite(0);
        noCallId.headers.removeIf(hh -> hh[0].equals("Call-ID"));
        List<CapturedMessage> in = h.packets(noCallId.hep(),
                TestSip.packet(1, "10.1.1.1", 5060, "10.2.2.2", 5060, d.at(1), 1, null, null, "garbage".getBytes()));
        assertThat(in.get(1).parseError).isNotNull();
        assertThat(h.meter("correlate.unmatched")).isEqualTo(1);
        assertThat(h.meter("correlate.errors")).isZero();
        assertThat(h.sink.requests).isEmpty();
    }
}
