package io.hepstack.collector.qos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hepstack.collector.pcap.PcapPacket;
import io.hepstack.collector.pcap.PcapReader;
import io.hepstack.collector.protocol.rtcp.Hep3TestReader;
import io.hepstack.collector.protocol.rtcp.QosReport;
import io.hepstack.collector.protocol.rtcp.RtcpBinaryParser;
import io.hepstack.collector.protocol.rtcp.RtcpBytes;
import io.hepstack.collector.protocol.rtcp.RtcpJsonParser;
import io.hepstack.collector.protocol.rtcp.RtcpReport;
import io.hepstack.collector.protocol.rtcp.SharedTestData;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Expected R/MOS values below were computed with scripts/emodel_reference.py (the formulas alone),
 * not with the Java E-model, e.g. {@code evaluate('G711', 13*100/256, 1.0, 0.0, 20.0, None)}.
 */
class QosAccumulatorTest {

    private static final double EPS = 1e-9;
    private static final long T0 = 1_767_225_600_000_000L; // 2026-01-01T00:00:00Z in µs

    private final RtcpBinaryParser binary = new RtcpBinaryParser();
    private final RtcpJsonParser json = new RtcpJsonParser();

    @Test
    void xrVoipMetricsPassThroughUnchanged() throws Exception {
        QosAccumulator acc = new QosAccumulator(Codec.G711);
        RtcpReport r = binary.parse(RtcpBytes.concat(RtcpBytes.rrOneBlock(), RtcpBytes.xrVoipMetrics()));
        List<ReportQuality> q = acc.add(r, 0);

        assertThat(q).hasSize(1); // the XR block belongs to the report block about the same SSRC
        ReportQuality rq = q.get(0);
        assertThat(rq.kind()).isEqualTo(ReportQuality.Kind.RTCP);
        assertThat(rq.qualitySource()).isEqualTo(ReportQuality.QualitySource.XR);
        assertThat(rq.mos()).as("MOS-CQ 39/10").isEqualTo(3.9);
        assertThat(rq.rFactor()).isEqualTo(87.0);
        assertThat(rq.rttMs()).as("no capture time: the XR round trip delay").isEqualTo(85.0);
        assertThat(rq.jitterMs()).as("160 RTP units at 8 kHz").isEqualTo(20.0);
        assertThat(rq.lossPct()).isEqualTo(13 * 100.0 / 256);
        assertThat(rq.reporterSsrc()).isEqualTo(0xaabbccddL);
        assertThat(rq.sourceSsrc()).isEqualTo(0x11223344L);
        assertThat(rq.expected()).as("first RR, no SR: counts unknown").isEqualTo(-1);

        LegQuality leg = acc.snapshot();
        assertThat(leg.mos()).isEqualTo(3.9);
        assertThat(leg.mosMin()).isEqualTo(3.9);
        assertThat(leg.rFactor()).isEqualTo(87.0);
        assertThat(leg.rttMs()).isEqualTo(85.0);
        assertThat(leg.reports()).isEqualTo(1);
    }

    @Test
    void xrWithoutReportBlockAndXrWithoutMos() throws Exception {
        QosAccumulator acc = new QosAccumulator(Codec.G711);
        List<ReportQuality> q = acc.add(binary.parse(RtcpBytes.xrVoipMetrics()), T0);
        assertThat(q).hasSize(1);
        assertThat(q.get(0).kind()).isEqualTo(ReportQuality.Kind.RTCP_XR);
        assertThat(q.get(0).mos()).isEqualTo(3.9);
        assertThat(q.get(0).lossPct()).isEqualTo(13 * 100.0 / 256);
        assertThat(q.get(0).jitterMs()).isNaN();
        assertThat(acc.add(binary.parse(RtcpBytes.xrVoipMetrics()), T0 + 1)).as("duplicate").isEmpty();

        // MOS-LQ and MOS-CQ unavailable (127): R passes through, MOS from the E-model
        byte[] xr = RtcpBytes.xrVoipMetrics();
        xr[34] = 127;
        xr[35] = 127;
        QosAccumulator acc2 = new QosAccumulator(Codec.G711);
        ReportQuality rq = acc2.add(binary.parse(RtcpBytes.concat(RtcpBytes.rrOneBlock(), xr)), 0).get(0);
        assertThat(rq.rFactor()).isEqualTo(87.0);
        assertThat(rq.qualitySource()).isEqualTo(ReportQuality.QualitySource.E_MODEL);
        // evaluate('G711', 13*100/256, 1.0, 85.0, 20.0, None): d = 42.5 + 40 + 20
        assertThat(rq.mos()).isCloseTo(3.8113083614399863, within(EPS));
    }

    @Test
    void withoutXrTheEModelComputesRAndMos() throws Exception {
        QosAccumulator acc = new QosAccumulator(Codec.G711);
        ReportQuality rq = acc.add(binary.parse(RtcpBytes.rrOneBlock()), 0).get(0);
        assertThat(rq.qualitySource()).isEqualTo(ReportQuality.QualitySource.E_MODEL);
        assertThat(rq.rttMs()).isNaN();
        // loss 13/256 = 5.078125 %, jitter 20 ms, RTT unknown (0): d = 0 + 40 + 20 = 60 ms
        assertThat(rq.rFactor()).isCloseTo(75.7741866003935, within(EPS));
        assertThat(rq.mos()).isCloseTo(3.854792291324029, within(EPS));

        QosAccumulator g729 = new QosAccumulator(Codec.fromRtpmap("G729/8000"));
        byte[] rr = new RtcpBytes().header(false, 1, 201, 7).u32(1).reportBlock(2, 0, 0, 500, 80, 0, 0)
                .toByteArray();
        ReportQuality q729 = g729.add(binary.parse(rr), 0).get(0);
        assertThat(q729.jitterMs()).isEqualTo(10.0);
        // evaluate('G729A', 0.0, 1.0, 0.0, 10.0, None)
        assertThat(q729.mos()).isCloseTo(4.065623701504, within(EPS));
        assertThat(g729.snapshot().codec()).isEqualTo("G.729A");
    }

    @Test
    void intervalCountsFromSuccessiveReportsAndDuplicatesIgnored() throws Exception {
        QosAccumulator acc = new QosAccumulator(Codec.G711);
        assertThat(acc.add(rr(1000, 0, 0), T0)).extracting(ReportQuality::expected).containsExactly(-1L);
        ReportQuality second = acc.add(rr(1250, 5, 5), T0 + 5_000_000).get(0);
        assertThat(second.expected()).isEqualTo(250);
        assertThat(second.lost()).isEqualTo(5);
        assertThat(second.received()).isEqualTo(245);
        assertThat(acc.add(rr(1250, 5, 5), T0 + 5_000_100)).as("same packet, second capture point").isEmpty();
        ReportQuality third = acc.add(rr(1500, 12, 7), T0 + 10_000_000).get(0);
        assertThat(third.expected()).isEqualTo(250);
        assertThat(third.lost()).isEqualTo(7);

        LegQuality leg = acc.snapshot();
        assertThat(leg.reports()).isEqualTo(3);
        assertThat(leg.packets()).isEqualTo(500);
        assertThat(leg.lost()).isEqualTo(12);
        assertThat(leg.received()).isEqualTo(488);
        assertThat(leg.lossPct()).isEqualTo(2.4);
        assertThat(leg.lossPctMax()).isEqualTo(7 * 100.0 / 256);
        assertThat(leg.firstReportMicros()).isEqualTo(T0);
        assertThat(leg.lastReportMicros()).isEqualTo(T0 + 10_000_000);
    }

    @Test
    void restartsAndLateReportsDoNotInventCounts() throws Exception {
        QosAccumulator acc = new QosAccumulator(Codec.G711);
        acc.add(rr(1000, 0, 0), T0);
        acc.add(rr(1300, 3, 2), T0 + 1);                       // +300, 3 lost
        assertThat(acc.add(rr(1200, 2, 1), T0 + 2).get(0).expected()).as("older than the baseline").isEqualTo(-1);
        assertThat(acc.add(rr(200_000, 9, 1), T0 + 3).get(0).expected()).as("restart").isEqualTo(-1);
        ReportQuality after = acc.add(rr(200_100, 10, 1), T0 + 4).get(0);
        assertThat(after.expected()).isEqualTo(100);
        assertThat(after.lost()).isEqualTo(1);
        ReportQuality dupes = acc.add(rr(200_200, 8, 0), T0 + 5).get(0);
        assertThat(dupes.lost()).as("cumulative lost fell (duplicates): held at 0").isZero();
        LegQuality leg = acc.snapshot();
        assertThat(leg.packets()).isEqualTo(500);
        assertThat(leg.lost()).isEqualTo(4);
        assertThat(leg.reports()).isEqualTo(6);
    }

    @Test
    void hepgenCallsGiveTheSourcesTablePerLeg() throws Exception {
        List<Hep3TestReader> packets = PcapReader.read(Path.of("../testdata/hep/hepgen-20calls.pcap")).stream()
                .filter(PcapPacket::isUdp).map(p -> Hep3TestReader.read(p.payload()))
                .filter(h -> h != null && h.protoType() == 5).toList();
        Map<String, QosAccumulator> legs = new HashMap<>();
        for (Hep3TestReader h : packets) {
            legs.computeIfAbsent(h.correlationId(), k -> new QosAccumulator(Codec.fromRtpmap("PCMU/8000")))
                    .add(json.parseRtcp(h.payload()), h.timeMicros());
        }
        assertThat(legs).hasSize(18);

        // call 1 of testdata/SOURCES.md: 59 lost of 3650, ia_jitter 226, fraction lost 4/256 in the payload
        LegQuality call1 = legs.get("325a1333-0ebb-5c2d-38a24bec5164@81.2.69.142").snapshot();
        assertThat(call1.packets()).isEqualTo(3650);
        assertThat(call1.lost()).isEqualTo(59);
        assertThat(call1.lossPct()).isEqualTo(59 * 100.0 / 3650);
        assertThat(call1.jitterMs()).isEqualTo(226 / 8.0);
        assertThat(call1.rttMs()).as("LSR 0").isNaN();
        // evaluate('G711', 4*100/256, 1.0, 0.0, 226/8, None)
        assertThat(call1.mos()).isCloseTo(4.222935566887181, within(EPS));
        assertThat(call1.rFactor()).isCloseTo(85.79672386310361, within(EPS));

        // call 19: 29 of 5875, jitter 9
        LegQuality call19 = legs.get("507b1e83-60e2-cd9c-3a93ae985da4@81.2.69.142").snapshot();
        assertThat(call19.packets()).isEqualTo(5875);
        assertThat(call19.lost()).isEqualTo(29);
        assertThat(call19.jitterMs()).isEqualTo(9 / 8.0);
        assertThat(call19.toDocument()).containsEntry("packets", 5875L).containsEntry("lost", 29L)
                .containsEntry("reports", 1L).containsKeys("mos", "r_factor", "jitter_ms", "loss_pct")
                .doesNotContainKey("rtt_ms");
    }

    /**
     * The real capture: the AudioCodes gateway's RR in frame 1565 echoes X-Lite's SR of frame 1181
     * (LSR 0x86d9f581) with DLSR 168427/65536 s. X-Lite's NTP clock runs 33 s ahead of the capture
     * clock, so RFC 3550's A − LSR − DLSR is meaningless here, but the capture point saw the SR:
     * RTT = capture(1565) − capture(1181) − DLSR.
     */
    @Test
    void rttFromTheSrTheCapturePointSaw() throws Exception {
        QosAccumulator acc = new QosAccumulator(Codec.G711);
        Map<Long, Long> times = new HashMap<>();
        ReportQuality from1565 = null;
        for (PcapPacket p : PcapReader.read(SharedTestData.file("pcap/heplify-rtp_rtcp_sip_ipv4_udp.pcap"))) {
            byte[] u = p.payload();
            if (!p.isUdp() || u.length < 8 || (u[0] & 0xc0) != 0x80 || (u[1] & 0xff) < 200 || (u[1] & 0xff) > 207) {
                continue;
            }
            times.put(p.frameNumber(), p.timestampMicros());
            List<ReportQuality> q = acc.add(binary.parse(u), p.timestampMicros());
            if (p.frameNumber() == 1565) {
                from1565 = q.get(0);
            }
            if (p.frameNumber() == 1567) {
                assertThat(q).as("frame 1567 is 1565 relayed: duplicate").isEmpty();
            }
        }
        assertThat(from1565).isNotNull();
        assertThat(from1565.reporterSsrc()).isEqualTo(0x58f33deaL);
        assertThat(from1565.sourceSsrc()).isEqualTo(0xd2bd4e3eL);
        double expectedMs = (times.get(1565L) - times.get(1181L)) / 1000.0 - 168427 * 1000.0 / 65536;
        assertThat(expectedMs).isBetween(0.0, 1.0); // a LAN
        assertThat(from1565.rttMs()).isCloseTo(expectedMs, within(1e-9));
        assertThat(RoundTripTime.fromReportBlock(0x86d9f581L, 168427, times.get(1565L)))
                .as("the two clocks disagree by 33 s").isNaN();
        assertThat(acc.snapshot().rttMsMax()).isGreaterThanOrEqualTo(expectedMs);
    }

    @Test
    void agentQosReportsPassThroughAndFinalReplacesPeriodicCounts() throws Exception {
        QosAccumulator acc = new QosAccumulator(Codec.G711);
        ReportQuality p1 = acc.add(qos("PERIODIC", 1000, 10, "4.2", "85.5", 6.5, 1), T0);
        assertThat(p1.qualitySource()).isEqualTo(ReportQuality.QualitySource.AGENT);
        assertThat(p1.mos()).isEqualTo(4.2);
        assertThat(p1.rFactor()).isEqualTo(85.5);
        assertThat(p1.lossPct()).isEqualTo(1.0);
        assertThat(p1.jitterMs()).isEqualTo(6.5);
        assertThat(acc.add(qos("PERIODIC", 1000, 10, "4.2", "85.5", 6.5, 1), T0 + 1)).as("duplicate").isNull();
        acc.add(qos("PERIODIC", 1512, 12, "3.9", "80", 2.0, 1), T0 + 2);
        assertThat(acc.snapshot().packets()).isEqualTo(2512);
        assertThat(acc.snapshot().lost()).isEqualTo(22);

        acc.add(qos("FINAL", 2600, 25, null, null, 3.0, 1), T0 + 3);
        LegQuality leg = acc.snapshot();
        assertThat(leg.packets()).as("FINAL covers the whole stream").isEqualTo(2600);
        assertThat(leg.lost()).isEqualTo(25);
        assertThat(leg.mosMin()).isEqualTo(3.9);

        acc.add(qos("PERIODIC", 400, 0, "4.4", "93", 1.0, 2), T0 + 4); // another stream
        assertThat(acc.snapshot().packets()).isEqualTo(3000);

        // no MOS, no R: the E-model, from 12/1512 loss and 6.5 ms jitter
        QosAccumulator acc2 = new QosAccumulator(Codec.G711);
        ReportQuality computed = acc2.add(qos("PERIODIC", 1512, 12, null, null, 6.5, 9), T0);
        assertThat(computed.qualitySource()).isEqualTo(ReportQuality.QualitySource.E_MODEL);
        // evaluate('G711', 12*100/1512, 1.0, 0.0, 6.5, None)
        assertThat(computed.mos()).isCloseTo(4.326462657579674, within(EPS));
    }

    @Test
    void latestMeansHighestCaptureTimeNotArrivalOrder() throws Exception {
        QosAccumulator acc = new QosAccumulator(Codec.G711);
        acc.add(qos("PERIODIC", 100, 0, "4.3", "90", 1.0, 1), T0 + 2_000_000);
        acc.add(qos("PERIODIC", 100, 50, "2.0", "40", 30.0, 2), T0 + 1_000_000); // late
        LegQuality leg = acc.snapshot();
        assertThat(leg.mos()).isEqualTo(4.3);
        assertThat(leg.mosMin()).isEqualTo(2.0);
        assertThat(leg.mosAvg()).isEqualTo(3.15);
        assertThat(leg.jitterMs()).isEqualTo(1.0);
        assertThat(leg.jitterMsMax()).isEqualTo(30.0);
        assertThat(leg.firstReportMicros()).isEqualTo(T0 + 1_000_000);
    }

    @Test
    void clockRateOfTheCodecConvertsJitter() throws Exception {
        QosAccumulator acc = new QosAccumulator(Codec.fromRtpmap("opus/48000/2"));
        byte[] rr = new RtcpBytes().header(false, 1, 201, 7).u32(1).reportBlock(2, 0, 0, 500, 480, 0, 0)
                .toByteArray();
        assertThat(acc.add(binary.parse(rr), 0).get(0).jitterMs()).isEqualTo(10.0);
        acc.codec(Codec.G711);
        byte[] rr2 = new RtcpBytes().header(false, 1, 201, 7).u32(1).reportBlock(2, 0, 0, 600, 480, 0, 0)
                .toByteArray();
        assertThat(acc.add(binary.parse(rr2), 0).get(0).jitterMs()).isEqualTo(60.0);
    }

    @Test
    void emptyLegAndValidation() {
        LegQuality empty = new QosAccumulator(Codec.G711).snapshot();
        assertThat(empty.reports()).isZero();
        assertThat(empty.mos()).isNaN();
        assertThat(empty.lossPct()).isNaN();
        assertThat(empty.toDocument()).containsOnlyKeys("reports", "packets", "lost", "codec");
        assertThatThrownBy(() -> new QosAccumulator(null)).hasMessageContaining("codec");
        assertThatThrownBy(() -> new QosAccumulator(Codec.G711, new EModel(), 0.5)).hasMessageContaining("0.5");
    }

    @Test
    void roundTripTimeArithmetic() {
        // 2026-01-01T00:00:00.5Z: NTP seconds 0xed003780, fraction 0.5 -> middle 0x37808000
        assertThat(RoundTripTime.ntpMiddle32(T0 + 500_000)).isEqualTo(0x37808000L);
        long lsr = RoundTripTime.ntpMiddle32(T0);
        assertThat(RoundTripTime.fromReportBlock(lsr, 65_536, T0 + 1_250_000)).isCloseTo(250.0, within(0.02));
        assertThat(RoundTripTime.fromReportBlock(0, 65_536, T0 + 1_250_000)).as("LSR 0").isNaN();
        assertThat(RoundTripTime.fromReportBlock(lsr, 65_536, T0 + 900_000)).as("negative").isNaN();
        assertThat(RoundTripTime.fromReportBlock(lsr, 0, T0 + 11_000_000)).as("above 10 s").isNaN();
        assertThat(RoundTripTime.fromCaptureTimes(T0, 6_554, T0 + 150_000)).isCloseTo(50.0, within(0.01));
        assertThat(RoundTripTime.fromCaptureTimes(T0, 65_536, T0 + 150_000)).isNaN();
    }

    // ------------------------------------------------------------------ helpers

    /** RR from SSRC 1 about SSRC 2. */
    private RtcpReport rr(long extHighest, int cumulativeLost, int fraction) throws Exception {
        return binary.parse(new RtcpBytes().header(false, 1, 201, 7).u32(1)
                .reportBlock(2, fraction, cumulativeLost & 0xffffff, extHighest, 40, 0, 0).toByteArray());
    }

    private QosReport qos(String type, long expected, long lost, String mos, String r, double jitter, long ssrc)
            throws Exception {
        String body = "{\"CORRELATION_ID\":\"c\",\"TYPE\":\"" + type + "\",\"EXPECTED_PK\":" + expected
                + ",\"PACKET_LOSS\":" + lost + ",\"JITTER\":" + jitter + ",\"SSRC\":" + ssrc
                + (mos == null ? "" : ",\"MOS\":" + mos) + (r == null ? "" : ",\"RFACTOR\":" + r) + "}";
        return json.parseQosReport(body.getBytes(StandardCharsets.UTF_8), 34);
    }
}
