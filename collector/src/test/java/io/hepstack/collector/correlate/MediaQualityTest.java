package io.hepstack.collector.correlate;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepstack.collector.qos.Codec;
import io.hepstack.collector.qos.EModel;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pipeline.CapturedMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * RTCP and agent QoS reports matched to a call and to its legs: {@code a_leg} is the stream the
 * caller sends (reported by the callee side), {@code b_leg} the callee's.
 */
class MediaQualityTest {

    private static double mos(double lossPct, double jitterMs) {
        double m = new EModel().evaluate(Codec.G711, lossPct, 1.0, 0, jitterMs).mos();
        return Math.round(m * 10_000.0) / 10_000.0;
    }

    /** A call whose caller media is 10.1.1.1:4000 and callee media 10.2.2.2:5000, answered at 1 s. */
    private static TestSip.Dialog answered(Harness h, String callId) {
        TestSip.Dialog d = new TestSip.Dialog(callId);
        h.batch(d.invite(0).sdp("10.1.1.1", 4000, "PCMA/8000", "telephone-event/8000"),
                d.reply(200, "OK", 1_000).sdp("10.2.2.2", 5000, "PCMA/8000", "telephone-event/8000"));
        return d;
    }

    @Test
    void rtcpOfEachSideGoesToTheLegOfTheStreamItReportsOn() {
        Harness h = new Harness();
        TestSip.Dialog d = answered(h, "qos-1@test");
        // the callee side reports on the caller's stream (SSRC 111): a_leg; 2/256 lost, jitter 80 units = 10 ms
        HepPacket fromCallee = TestSip.rtcp("10.2.2.2", 5001, "10.1.1.1", 4001, d.at(11_000), "qos-1@test",
                222, 111, 1000, 2, 10, 1010, 80);
        // the caller side reports on the callee's stream (SSRC 222), no correlation id: found by SDP address
        HepPacket fromCaller = TestSip.rtcp("10.1.1.1", 4001, "10.2.2.2", 5001, d.at(11_500), null,
                111, 222, 2000, 0, 0, 2000, 16);
        List<CapturedMessage> in = h.packets(fromCallee, fromCaller);
        assertThat(in).allSatisfy(m -> assertThat(m.callId).isEqualTo("qos-1@test"));
        h.tick(d.at(13_000));
        JsonNode doc = h.sink.call("qos-1@test");
        JsonNode a = doc.path("qos").path("a_leg");
        JsonNode b = doc.path("qos").path("b_leg");
        assertThat(a.path("reports").asInt()).isEqualTo(1);
        assertThat(a.path("packets").asLong()).as("first SR: the sender's count").isEqualTo(1000);
        assertThat(a.path("lost").asLong()).isEqualTo(10);
        assertThat(a.path("loss_pct").asDouble()).isEqualTo(1.0);
        assertThat(a.path("jitter_ms").asDouble()).isEqualTo(10.0);
        assertThat(a.path("ssrc").asLong()).isEqualTo(111);
        assertThat(a.path("codec").asText()).isEqualTo("G.711");
        assertThat(a.path("mos_source").asText()).isEqualTo("computed");
        assertThat(a.path("mos").asDouble()).isEqualTo(mos(2 * 100.0 / 256, 10.0));
        assertThat(b.path("packets").asLong()).isEqualTo(2000);
        assertThat(b.path("lost").asLong()).isZero();
        assertThat(b.path("jitter_ms").asDouble()).isEqualTo(2.0);
        assertThat(b.path("ssrc").asLong()).isEqualTo(222);
        assertThat(b.path("mos").asDouble()).isEqualTo(mos(0, 2.0));
        assertThat(a.path("mos").asDouble()).isLessThan(b.path("mos").asDouble());
        assertThat(doc.path("qos").path("mos").asDouble()).as("the worse leg").isEqualTo(a.path("mos_avg").asDouble());
        assertThat(doc.path("qos").path("r_factor").asDouble()).isEqualTo(a.path("r_factor_avg").asDouble());
        assertThat(doc.path("tdr").path("messages").path("rtcp").asInt()).isEqualTo(2);

        // later reports of a known SSRC from an address outside the SDP still find their call and leg
        HepPacket natted = TestSip.rtcp("192.0.2.99", 31001, "192.0.2.98", 31002, d.at(16_000), null,
                222, 111, 1500, 0, 10, 1510, 40);
        assertThat(h.packets(natted).get(0).callId).isEqualTo("qos-1@test");
        h.tick(d.at(18_000));
        assertThat(h.sink.call("qos-1@test").path("qos").path("a_leg").path("reports").asInt())
                .as("a media report alone is written mediaUpdateInterval (10 s) after the last write (13 s)").isEqualTo(1);
        h.tick(d.at(23_000));
        JsonNode a2 = h.sink.call("qos-1@test").path("qos").path("a_leg");
        assertThat(a2.path("reports").asInt()).isEqualTo(2);
        assertThat(a2.path("packets").asLong()).as("1000 + the 500 of the interval").isEqualTo(1500);
        assertThat(a2.path("lost").asLong()).isEqualTo(10);
    }

    @Test
    void agentQosReportsAreAssignedByTheStreamSourceAndPassTheirMosThrough() {
        Harness h = new Harness();
        TestSip.Dialog d = answered(h, "qos-2@test");
        String json = "{\"CORRELATION_ID\":\"qos-2@test\",\"TYPE\":\"HANGUP\",\"SRC_IP\":\"10.2.2.2\",\"SRC_PORT\":5000,"
                + "\"DST_IP\":\"10.1.1.1\",\"DST_PORT\":4000,\"MOS\":3.9,\"RFACTOR\":78.5,\"JITTER\":4.5,"
                + "\"TOTAL_PK\":1450,\"EXPECTED_PK\":1500,\"PACKET_LOSS\":50,\"SSRC\":333}";
        HepPacket q = TestSip.packet(34, "10.9.9.9", 9000, "10.9.9.10", 9060, d.at(20_000), 1001, "node-1", null,
                json.getBytes(StandardCharsets.UTF_8));
        CapturedMessage m = h.packets(q).get(0);
        assertThat(m.parseError).isNull();
        assertThat(m.callId).isEqualTo("qos-2@test");
        h.tick(d.at(22_000));
        JsonNode qos = h.sink.call("qos-2@test").path("qos");
        assertThat(qos.has("a_leg")).isFalse();
        JsonNode b = qos.path("b_leg");
        assertThat(b.path("mos").asDouble()).isEqualTo(3.9);
        assertThat(b.path("r_factor").asDouble()).isEqualTo(78.5);
        assertThat(b.path("packets").asLong()).isEqualTo(1500);
        assertThat(b.path("lost").asLong()).isEqualTo(50);
        assertThat(b.path("loss_pct").asDouble()).isCloseTo(3.3333, within(1e-4));
        assertThat(b.path("mos_source").asText()).isEqualTo("agent");
        assertThat(qos.path("mos").asDouble()).isEqualTo(3.9);
    }

    @Test
    void aLegTakesRtcpOrAgentReportsNotBoth() {
        Harness h = new Harness();
        TestSip.Dialog d = answered(h, "qos-3@test");
        h.packets(TestSip.rtcp("10.2.2.2", 5001, "10.1.1.1", 4001, d.at(5_000), "qos-3@test", 222, 111, 500, 0, 0, 500, 8));
        String json = "{\"CORRELATION_ID\":\"qos-3@test\",\"SRC_IP\":\"10.1.1.1\",\"SRC_PORT\":4000,\"MOS\":2.0,"
                + "\"TOTAL_PK\":9000,\"PACKET_LOSS\":900}";
        h.packets(TestSip.packet(34, "10.9.9.9", 9000, "10.9.9.10", 9060, d.at(6_000), 1001, "node-1", null,
                json.getBytes(StandardCharsets.UTF_8)));
        h.tick(d.at(11_000)); // media reports only since the answer's write at 1 s: written 10 s after it
        JsonNode doc = h.sink.call("qos-3@test");
        JsonNode a = doc.path("qos").path("a_leg");
        assertThat(a.path("reports").asInt()).isEqualTo(1);
        assertThat(a.path("packets").asLong()).isEqualTo(500);
        assertThat(a.path("mos_source").asText()).isEqualTo("computed");
        assertThat(doc.path("tdr").path("messages").path("rtcp").asInt()).as("both still counted").isEqualTo(2);
    }

    @Test
    void rtcpBeforeTheCallWaitsForItAndAnUnknownStreamIsUnmatchedOnceItGivesUp() {
        Harness h = new Harness();
        TestSip.Dialog d = new TestSip.Dialog("qos-4@test");
        h.packets(TestSip.rtcp("10.2.2.2", 5001, "10.1.1.1", 4001, d.at(-100), "qos-4@test", 222, 111, 100, 0, 0, 100, 8),
                TestSip.rtcp("10.7.7.7", 7001, "10.8.8.8", 8001, d.at(-100), null, 777, 888, 100, 0, 0, 100, 8));
        // the second names no call and no SDP announced its addresses yet: it waits for one too
        assertThat(h.gauge("correlate.orphans.waiting")).isEqualTo(2);
        assertThat(h.meter("correlate.unmatched")).isZero();
        h.batch(d.invite(0), d.reply(200, "OK", 1_000).sdp("10.2.2.2", 5000, "PCMU/8000"));
        JsonNode doc = h.sink.call("qos-4@test");
        assertThat(doc.path("tdr").path("messages").path("rtcp").asInt()).isEqualTo(1);
        assertThat(doc.path("qos").path("a_leg").path("reports").asInt()).isEqualTo(1);
        assertThat(h.gauge("correlate.orphans.waiting")).isEqualTo(1);
        h.tick(d.at(31_000));
        h.tick(d.at(32_000)); // no SDP ever names 10.7.7.7/10.8.8.8: unmatched after the orphan timeout (at the tick after it passed)
        assertThat(h.gauge("correlate.orphans.waiting")).isEqualTo(0);
        assertThat(h.meter("correlate.unmatched")).isEqualTo(1);
    }

    /**
     * A report that names no call waits under both its addresses; the first SDP that names one of
     * them takes it, and it is gone from the other's wait too: a later call announcing that other
     * address gets nothing, while a new report waiting for addresses is still found.
     */
    @Test
    void aReportWaitingUnderTwoAddressesJoinsOneCallOnly() {
        Harness h = new Harness();
        TestSip.Dialog a = new TestSip.Dialog("orph-a@test");
        TestSip.Dialog b = new TestSip.Dialog("orph-b@test");
        TestSip.Dialog c = new TestSip.Dialog("orph-c@test");
        h.packets(TestSip.rtcp("10.7.7.7", 7001, "10.8.8.8", 8001, a.at(-100), null, 777, 888, 100, 0, 0, 100, 8));
        assertThat(h.gauge("correlate.orphans.waiting")).isEqualTo(1);
        h.batch(a.invite(0), a.reply(200, "OK", 1_000).sdp("10.7.7.7", 7000, "PCMU/8000"));
        assertThat(h.gauge("correlate.orphans.waiting")).isEqualTo(0);
        h.batch(b.invite(2_000), b.reply(200, "OK", 3_000).sdp("10.8.8.8", 8000, "PCMU/8000"));
        h.packets(TestSip.rtcp("10.5.5.5", 5001, "10.6.6.6", 6001, c.at(3_500), null, 555, 666, 100, 0, 0, 100, 8));
        assertThat(h.gauge("correlate.orphans.waiting")).isEqualTo(1);
        h.batch(c.invite(4_000), c.reply(200, "OK", 5_000).sdp("10.6.6.6", 6000, "PCMU/8000"));
        assertThat(h.gauge("correlate.orphans.waiting")).isEqualTo(0);
        assertThat(h.sink.call("orph-a@test").path("tdr").path("messages").path("rtcp").asInt()).isEqualTo(1);
        assertThat(h.sink.call("orph-b@test").path("tdr").path("messages").path("rtcp").asInt()).isZero();
        assertThat(h.sink.call("orph-c@test").path("tdr").path("messages").path("rtcp").asInt()).isEqualTo(1);
    }

    /**
     * An RTCP-XR voice-quality report in a SIP PUBLISH (RFC 6035), sent by the callee's phone at the
     * end of the call, joins the call by its CallID: its local metrics describe the stream it
     * received, the caller's (a_leg), with the phone's own MOS, loss rate, jitter and round trip.
     */
    @Test
    void aVqRtcpXrPublishJoinsTheCallItNamesAsAQualitySource() {
        Harness h = new Harness();
        TestSip.Dialog d = answered(h, "vq-1@test");
        String body = String.join("\r\n",
                "VQSessionReport: CallTerm",
                "CallID: vq-1@test",
                "LocalID: <sip:bob@example.net>",
                "RemoteID: <sip:alice@example.com>",
                "OrigID: <sip:alice@example.com>",
                "LocalAddr: IP=10.2.2.2 PORT=5000 SSRC=0x0000014d",
                "RemoteAddr: IP=10.1.1.1 PORT=4000 SSRC=0x0000006f",
                "LocalMetrics:",
                "Timestamps: START=2002-01-01T00:00:01Z STOP=2002-01-01T00:00:30Z",
                "SessionDesc: PT=8 PD=PCMA SR=8000 FD=20 FPP=1 PPS=50 PLC=3 SSUP=on",
                "JitterBuffer: JBA=3 JBR=2 JBN=40 JBM=80 JBX=120",
                "PacketLoss: NLR=2.5 JDR=0.5",
                "BurstGapLoss: BLD=0 BD=0 GLD=0 GD=0 GMIN=16",
                "Delay: RTD=120 ESD=40 SOWD=60 IAJ=7 MAIJ=12",
                "QualityEst: RLQ=80 RCQ=78 MOSLQ=3.9 MOSCQ=3.8",
                "DialogID: vq-1@test;to-tag=b;from-tag=a", "");
        String publish = "PUBLISH sip:collector@example.net SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.2.2.2:5060;branch=z9hG4bK-vq1\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:bob@example.net>;tag=vqp\r\n"
                + "To: <sip:collector@example.net>\r\n"
                + "Call-ID: publish-vq-1@phone\r\n"
                + "CSeq: 1 PUBLISH\r\n"
                + "Event: vq-rtcpxr\r\n"
                + "Content-Type: application/vq-rtcpxr\r\n"
                + "Content-Length: " + body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
        HepPacket p = TestSip.packet(HepPacket.PROTO_SIP, "10.2.2.2", 5060, "10.9.9.9", 5060, d.at(30_500), 2001,
                "node-1", null, publish.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        CapturedMessage m = h.packets(p).get(0);
        assertThat(m.protocol.dataset()).isEqualTo("vq_rtcpxr");
        assertThat(m.index).startsWith("hep-rtcpxr-");
        assertThat(m.callId).isEqualTo("vq-1@test");
        h.tick(d.at(32_000));
        JsonNode doc = h.sink.call("vq-1@test");
        JsonNode a = doc.path("qos").path("a_leg");
        assertThat(a.path("mos").asDouble()).isEqualTo(3.8);
        assertThat(a.path("mos_source").asText()).isEqualTo("agent");
        assertThat(a.path("loss_pct").asDouble()).isEqualTo(2.5);
        assertThat(a.path("jitter_ms").asDouble()).isEqualTo(7.0);
        assertThat(a.path("ssrc").asLong()).isEqualTo(0x6f);
        assertThat(doc.path("qos").path("b_leg").path("reports").asInt()).as("nothing on the callee's stream").isZero();
        assertThat(doc.path("tdr").path("messages").path("rtcp").asInt()).isEqualTo(1);
        assertThat(h.events).filteredOn(e -> e.type() == CallEvent.Type.MEDIA_REPORT).hasSize(1);
    }
}
