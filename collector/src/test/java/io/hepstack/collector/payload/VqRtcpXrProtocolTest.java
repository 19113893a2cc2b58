package io.hepstack.collector.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.payload.PayloadTesting.ComponentFields;
import io.hepstack.collector.payload.VqRtcpXrProtocol.Metrics;
import io.hepstack.collector.payload.VqRtcpXrProtocol.ReportType;
import io.hepstack.collector.payload.VqRtcpXrProtocol.VqReport;
import io.hepstack.collector.pipeline.CorrelationRole;
import io.hepstack.collector.pipeline.ParseFailure;
import io.hepstack.collector.protocol.rtcp.QosReport;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VqRtcpXrProtocolTest {

    private static final String MUTANT_CHARS = "=: \r\n\t\"0x-.";

    private final VqRtcpXrProtocol vq = new VqRtcpXrProtocol();

    /** A PUBLISH to a collector, as RFC 6035 §4.7.3 (F13) sends it, carrying {@code body}. */
    static byte[] publish(String contentType, String body) {
        String msg = "PUBLISH sip:collector@example.org SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP pc22.example.org;branch=z9hG4bK3343d7\r\n"
                + "Max-Forwards: 70\r\n"
                + "To: <sip:collector@example.org>\r\n"
                + "From: Alice <sip:alice@example.org>;tag=a3343df32\r\n"
                + "Call-ID: 1890463548@alice.example.org\r\n"
                + "CSeq: 4321 PUBLISH\r\n"
                + "Contact: <sip:alice@pc22.example.org>\r\n"
                + "Event: vq-rtcpxr\r\n"
                + "Accept: application/sdp, message/sipfrag\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                + "\r\n"
                + body;
        return msg.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] publish(String body) {
        return publish(VqRtcpXrProtocol.CONTENT_TYPE, body);
    }

    private static HepPacket hep(byte[] payload) {
        return PayloadTesting.viaHep(HepPacket.PROTO_SIP, payload, new byte[] {(byte) 192, 0, 2, 100}, 5060,
                new byte[] {(byte) 203, 0, 113, 5}, 5060);
    }

    private VqReport parse(byte[] payload) throws ParseFailure {
        HepPacket p = hep(payload);
        assertThat(vq.accepts(p)).isTrue();
        return vq.parse(p);
    }

    private static HepPacket raw(byte[] payload) {
        HepPacket p = new HepPacket();
        p.protoType = HepPacket.PROTO_SIP;
        p.payload = payload;
        return p;
    }

    @Test
    void describesItself() {
        assertThat(vq.dataset()).isEqualTo("vq_rtcpxr");
        assertThat(vq.family()).isEqualTo("rtcpxr");
        assertThat(vq.protoTypes()).containsExactly(1);
        assertThat(vq.role()).isEqualTo(CorrelationRole.MEDIA_REPORT);
        assertThat(vq.mediaReport(null)).isNull();
        assertThat(vq.action(null)).isNull();
    }

    // ------------------------------------------------------------------ RFC 6035 §4.7.3

    @Test
    void rfc6035SessionReport() throws ParseFailure {
        VqReport r = parse(publish(PayloadTesting.resourceText("vq-rfc6035-session.txt")));
        assertThat(r.type()).isEqualTo(ReportType.SESSION);
        assertThat(r.detail()).isEqualTo("CallTerm");
        assertThat(r.cumulative()).isTrue();
        assertThat(r.callId()).isEqualTo("6dg37f1890463"); // the body's, not the PUBLISH's own Call-ID
        assertThat(r.origId()).isEqualTo("Alice <sip:alice@example.org>");
        assertThat(r.dialogId()).isEqualTo("1890463548@alice.example.org;to-tag=8472761;from-tag=9123dh311");
        assertThat(r.local()).isEqualTo(new VqRtcpXrProtocol.Endpoint("Alice <sip:alice@example.org>", "192.0.2.100",
                5000, 0x1a3b5c7dL, "example-phone-55671", "00:00:5e:00:53:01"));
        assertThat(r.remote()).isEqualTo(new VqRtcpXrProtocol.Endpoint("Bill <sip:bill@example.net>", "198.51.100.150",
                5002, 0x2468abcdL, "example-gateway-09871", "00:00:5e:00:53:02"));
        Metrics l = r.localMetrics();
        assertThat(l.start()).isEqualTo(Instant.parse("2004-10-10T18:23:43Z"));
        assertThat(l.stop()).isEqualTo(Instant.parse("2004-10-01T18:26:02Z")); // as the RFC prints it
        assertThat(l.payloadType()).isEqualTo(18);
        assertThat(l.payloadDesc()).isEqualTo("G729");
        assertThat(l.sampleRate()).isEqualTo(8000);
        assertThat(l.lossPct()).isEqualTo(5.0);
        assertThat(r.lossPct()).isEqualTo(5.0);
        assertThat(l.discardPct()).isEqualTo(2.0);
        assertThat(l.iajMs()).isEqualTo(2.0);
        assertThat(l.maijMs()).isEqualTo(10.0); // MAJ, the example's spelling of MAIJ
        assertThat(l.jbnMs()).isEqualTo(40.0);
        assertThat(l.jitterMs()).isEqualTo(2.0);
        assertThat(l.rttMs()).isEqualTo(200.0);
        assertThat(l.esdMs()).isEqualTo(140.0);
        assertThat(l.mosLq()).isEqualTo(4.2);
        assertThat(l.mosCq()).isEqualTo(4.3);
        assertThat(l.rLq()).isEqualTo(90.0);
        assertThat(l.rCq()).isEqualTo(85.0);
        Metrics rm = r.remoteMetrics();
        assertThat(rm).isNotNull();
        assertThat(rm.mosLq()).isEqualTo(4.3);
        assertThat(rm.mosCq()).isEqualTo(4.2);
        assertThat(rm.payloadDesc()).isEqualTo("G729");
        assertThat(vq.action(r)).isEqualTo("VQSessionReport");

        QosReport q = (QosReport) vq.mediaReport(r);
        assertThat(q).isEqualTo(new QosReport(1, "6dg37f1890463", "6dg37f1890463", "FINAL", "vq-rtcpxr",
                Instant.parse("2004-10-01T18:26:02Z").getEpochSecond(), 4.3, Double.NaN, Double.NaN, 85, Double.NaN,
                Double.NaN, 2.0, Double.NaN, 10.0, -1, -1, -1, 0x2468abcdL, "198.51.100.150", 5002, "192.0.2.100", 5000,
                18, "G729", 8000, -1, -1, 5.0, 200.0));
        assertThat(q.cumulative()).isTrue();
        assertThat(q.expectedOrDerived()).isEqualTo(-1);

        JsonNode doc = PayloadTesting.document(vq, r, null);
        assertThat(doc.at("/vq/report_type").asText()).isEqualTo("VQSessionReport");
        assertThat(doc.at("/vq/report_detail").asText()).isEqualTo("CallTerm");
        assertThat(doc.at("/vq/call_id").asText()).isEqualTo("6dg37f1890463");
        assertThat(doc.at("/vq/orig_id").asText()).isEqualTo("Alice <sip:alice@example.org>");
        assertThat(doc.at("/vq/local/ip").asText()).isEqualTo("192.0.2.100");
        assertThat(doc.at("/vq/local/port").asInt()).isEqualTo(5000);
        assertThat(doc.at("/vq/local/ssrc").asLong()).isEqualTo(0x1a3b5c7dL);
        assertThat(doc.at("/vq/local/id").asText()).isEqualTo("Alice <sip:alice@example.org>");
        assertThat(doc.at("/vq/local/group").asText()).isEqualTo("example-phone-55671");
        assertThat(doc.at("/vq/local/mac").asText()).isEqualTo("00:00:5e:00:53:01");
        assertThat(doc.at("/vq/remote/ip").asText()).isEqualTo("198.51.100.150");
        assertThat(doc.at("/vq/remote/port").asInt()).isEqualTo(5002);
        assertThat(doc.at("/vq/remote/ssrc").asLong()).isEqualTo(0x2468abcdL);
        assertThat(doc.at("/vq/remote/id").asText()).isEqualTo("Bill <sip:bill@example.net>");
        assertThat(doc.at("/vq/codec/pt").asInt()).isEqualTo(18);
        assertThat(doc.at("/vq/codec/name").asText()).isEqualTo("G729");
        assertThat(doc.at("/vq/codec/sample_rate").asInt()).isEqualTo(8000);
        assertThat(doc.at("/vq/metrics/start").asText()).isEqualTo("2004-10-10T18:23:43Z");
        assertThat(doc.at("/vq/metrics/stop").asText()).isEqualTo("2004-10-01T18:26:02Z");
        assertThat(doc.at("/vq/metrics/loss_pct").asDouble()).isEqualTo(5.0);
        assertThat(doc.at("/vq/metrics/discard_pct").asDouble()).isEqualTo(2.0);
        assertThat(doc.at("/vq/metrics/jitter_ms").asDouble()).isEqualTo(2.0);
        assertThat(doc.at("/vq/metrics/jitter_buffer_nominal_ms").asDouble()).isEqualTo(40.0);
        assertThat(doc.at("/vq/metrics/mean_abs_jitter_ms").asDouble()).isEqualTo(10.0);
        assertThat(doc.at("/vq/metrics/rtt_ms").asDouble()).isEqualTo(200.0);
        assertThat(doc.at("/vq/metrics/end_system_delay_ms").asDouble()).isEqualTo(140.0);
        assertThat(doc.at("/vq/metrics/mos_lq").asDouble()).isEqualTo(4.2);
        assertThat(doc.at("/vq/metrics/mos_cq").asDouble()).isEqualTo(4.3);
        assertThat(doc.at("/vq/metrics/r_lq").asDouble()).isEqualTo(90.0);
        assertThat(doc.at("/vq/metrics/r_cq").asDouble()).isEqualTo(85.0);
        assertThat(doc.at("/vq/remote_metrics/mos_cq").asDouble()).isEqualTo(4.2);
        assertThat(doc.at("/qos/mos").asDouble()).isEqualTo(4.3);
        assertThat(doc.at("/qos/r_factor").asDouble()).isEqualTo(85.0);
        assertThat(doc.at("/qos/loss_pct").asDouble()).isEqualTo(5.0);
        assertThat(doc.at("/qos/jitter_ms").asDouble()).isEqualTo(2.0);
        assertThat(doc.at("/qos/rtt_ms").asDouble()).isEqualTo(200.0);
        assertThat(doc.at("/qos/codec").asText()).isEqualTo("G729");
        assertThat(doc.at("/qos/mos_source").asText()).isEqualTo("vq-rtcpxr");
        assertThat(doc.at("/call/id").asText()).isEqualTo("6dg37f1890463");
    }

    // ------------------------------------------------------------------ phones

    @Test
    void yealinkStyleIntervalReport() throws ParseFailure {
        VqReport r = parse(publish(PayloadTesting.resourceText("vq-yealink-interval.txt")));
        assertThat(r.type()).isEqualTo(ReportType.INTERVAL);
        assertThat(r.detail()).isNull();
        assertThat(r.cumulative()).isFalse();
        assertThat(r.callId()).isEqualTo("3a5f8d2c-1b2e-4c11@192.0.2.21");
        assertThat(r.local().ip()).isEqualTo("192.0.2.21");
        assertThat(r.local().ssrc()).isEqualTo(0x4d2c1a0bL);
        assertThat(r.local().group()).isNull();
        assertThat(r.remote().ip()).isEqualTo("2001:db8::22"); // written out in full, indexed compressed
        assertThat(r.remote().port()).isEqualTo(12000);
        assertThat(r.remote().ssrc()).isEqualTo(0x00c0ffeeL);
        assertThat(r.remoteMetrics()).isNull();
        Metrics l = r.localMetrics();
        assertThat(l.lossPct()).isEqualTo(1.25);
        assertThat(l.discardPct()).isEqualTo(0.5);
        assertThat(l.jitterMs()).isEqualTo(7.0);
        assertThat(l.mosCq()).isEqualTo(4.0);
        assertThat(l.rCq()).isEqualTo(87.0);

        QosReport q = (QosReport) vq.mediaReport(r);
        assertThat(q.type()).isEqualTo("PERIODIC");
        assertThat(q.cumulative()).isFalse();
        assertThat(q.mos()).isEqualTo(4.0);
        assertThat(q.rFactor()).isEqualTo(87.0);
        assertThat(q.jitterMs()).isEqualTo(7.0);
        assertThat(q.jitterMeanMs()).isEqualTo(3.0);
        assertThat(q.srcIp()).isEqualTo("2001:db8::22");
        assertThat(q.srcPort()).isEqualTo(12000);
        assertThat(q.ssrc()).isEqualTo(0x00c0ffeeL);
        assertThat(q.dstIp()).isEqualTo("192.0.2.21");
        assertThat(q.dstPort()).isEqualTo(11780);
        assertThat(q.codecPt()).isEqualTo(9);
        assertThat(q.codecName()).isEqualTo("G722");
        assertThat(q.clockRate()).isEqualTo(16000);
        assertThat(q.reportTs()).isEqualTo(Instant.parse("2025-03-14T09:27:53Z").getEpochSecond());

        JsonNode doc = PayloadTesting.document(vq, r, null);
        assertThat(doc.at("/vq/report_type").asText()).isEqualTo("VQIntervalReport");
        assertThat(doc.at("/vq/report_detail").isMissingNode()).isTrue();
        assertThat(doc.at("/vq/remote/ip").asText()).isEqualTo("2001:db8::22");
        assertThat(doc.at("/vq/remote_metrics").isMissingNode()).isTrue();
        assertThat(doc.at("/vq/dialog_id").asText()).startsWith("3a5f8d2c-1b2e-4c11@192.0.2.21;to-tag=");
        assertThat(doc.at("/qos/rtt_ms").asDouble()).isEqualTo(48.0);
    }

    @Test
    void audioCodesStyleQuirksAndFallbacks() throws ParseFailure {
        VqReport r = parse(publish(PayloadTesting.resourceText("vq-audiocodes-session.txt")));
        assertThat(r.type()).isEqualTo(ReportType.SESSION);
        assertThat(r.detail()).isNull();
        assertThat(r.callId()).isEqualTo("5c1d9a6e40b3d21@192.0.2.40"); // "CallID=..."
        assertThat(r.local().port()).isEqualTo(6000); // "Port="
        assertThat(r.remote().port()).isEqualTo(6010);
        Metrics l = r.localMetrics();
        assertThat(l.mosCq()).isEqualTo(4.1); // "MOSCQ=4.10" on a line of its own
        assertThat(l.rCq()).isNaN();
        assertThat(l.rFactor()).isEqualTo(93.0); // RLQ when there is no RCQ
        assertThat(l.iajMs()).isNaN();
        assertThat(l.jitterMs()).isEqualTo(7.0); // JBN when there is no IAJ
        assertThat(l.rttMs()).isZero();
        assertThat(r.remoteMetrics().mosLq()).isNaN(); // 127: not available
        assertThat(r.remoteMetrics().rLq()).isNaN();

        QosReport q = (QosReport) vq.mediaReport(r);
        assertThat(q.jitterMs()).isNaN(); // the report's jitter is IAJ only
        assertThat(q.rFactor()).isEqualTo(93.0);
        JsonNode doc = PayloadTesting.document(vq, r, null);
        assertThat(doc.at("/vq/metrics/jitter_ms").asDouble()).isEqualTo(7.0);
        assertThat(doc.at("/qos/jitter_ms").isMissingNode()).isTrue();
        assertThat(doc.at("/qos/rtt_ms").isMissingNode()).isTrue(); // RTD=0: unknown
        assertThat(doc.at("/vq/metrics/rtt_ms").asDouble()).isZero();
        assertThat(doc.at("/vq/remote_metrics/mos_lq").isMissingNode()).isTrue();
    }

    static Stream<Arguments> quirks() {
        String base = "CallID: c1\r\nLocalMetrics:\r\n";
        return Stream.of(
                Arguments.of("alert report", "VQAlertReport: Type=MOS Severity=Critical Dir=local\r\n" + base
                        + "QualityEst:MOSCQ=2.1\r\n", "ALERT", "detail", "Type=MOS Severity=Critical Dir=local"),
                Arguments.of("bare LF", "VQSessionReport: CallTerm\n" + base.replace("\r", "") + "PacketLoss:NLR=3.5\n",
                        "SESSION", "loss", "3.5"),
                Arguments.of("snom order (session lines after LocalMetrics)", "VQSessionReport\r\nLocalMetrics:\r\n"
                        + "Timestamps:START=2010-02-17T13:59:42Z STOP=2010-02-17T13:59:46Z\r\n"
                        + "CallID:3c26a8de500f-12ct7zov3kjs\r\nLocalAddr:IP=192.0.2.7 PORT=62754 SSRC=0xCBE3450E\r\n"
                        + "RemoteAddr:IP= PORT=54018 SSRC=0xB80B52F3\r\nDelay:RTD=0 ESD=0 IAJ=4\r\n",
                        "SESSION", "ssrc", Long.toString(0xB80B52F3L)),
                Arguments.of("linphone decimal SSRC", "VQSessionReport: CallTerm\r\n" + base
                        + "RemoteAddr: IP=192.0.2.9 PORT=7078 SSRC=-1289549714\r\n", "SESSION", "ssrc",
                        Long.toString(-1289549714L & 0xffff_ffffL)),
                Arguments.of("case of names", "vqsessionreport: callterm\r\ncallid: c1\r\nlocalmetrics:\r\n"
                        + "packetloss: nlr=1.5\r\n", "SESSION", "loss", "1.5"),
                Arguments.of("metrics before LocalMetrics", "VQIntervalReport\r\nCallID: c1\r\nPacketLoss: NLR=2\r\n",
                        "INTERVAL", "loss", "2.0"),
                Arguments.of("garbage numbers", "VQSessionReport\r\n" + base
                        + "PacketLoss: NLR=abc JDR=1e3\r\nQualityEst: MOSLQ=0 MOSCQ=9\r\n", "SESSION", "loss", "NaN"),
                Arguments.of("unknown lines skipped", "VQSessionReport\r\nx-UserAgent: phone/1.0\r\nFromID: <sip:a@b>\r\n"
                        + base + "x-SIPmetrics:SVA=RG SRD=310\r\n", "SESSION", "detail", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quirks")
    void quirks(String name, String body, String type, String what, String expected) throws ParseFailure {
        VqReport r = parse(publish(body));
        assertThat(r.type().name()).isEqualTo(type);
        switch (what) {
            case "detail" -> assertThat(r.detail()).isEqualTo(expected);
            case "loss" -> assertThat(Double.toString(r.lossPct())).isEqualTo(expected);
            case "ssrc" -> assertThat(Long.toString(r.remote().ssrc())).isEqualTo(expected);
            default -> throw new AssertionError(what);
        }
        JsonNode doc = PayloadTesting.document(vq, r, null);
        assertThat(ComponentFields.of("hep-rtcpxr").problems(doc)).isEmpty();
    }

    @Test
    void snomEmptyAddressIsLeftOut() throws ParseFailure {
        VqReport r = parse(publish("VQSessionReport\r\nCallID: c\r\nLocalMetrics:\r\nRemoteAddr:IP= PORT=54018 SSRC=0x1\r\n"
                + "LocalAddr:IP=pbx.example.com PORT=1\r\n"));
        assertThat(r.remote().ip()).isNull();
        assertThat(r.local().ip()).isNull(); // a name, not an address: never resolved, never indexed as ip
        JsonNode doc = PayloadTesting.document(vq, r, null);
        assertThat(doc.at("/vq/remote/ip").isMissingNode()).isTrue();
        assertThat(doc.at("/vq/remote/port").asInt()).isEqualTo(54018);
    }

    @Test
    void ssrcForms() {
        assertThat(VqRtcpXrProtocol.ssrc("0x2468abcd")).isEqualTo(0x2468abcdL);
        assertThat(VqRtcpXrProtocol.ssrc("0XFFFFFFFF")).isEqualTo(0xffffffffL);
        assertThat(VqRtcpXrProtocol.ssrc("1a3b5c7d")).isEqualTo(0x1a3b5c7dL);
        assertThat(VqRtcpXrProtocol.ssrc("4294967295")).isEqualTo(0xffffffffL);
        assertThat(VqRtcpXrProtocol.ssrc("-1")).isEqualTo(0xffffffffL);
        assertThat(VqRtcpXrProtocol.ssrc("4294967296")).isEqualTo(-1);
        assertThat(VqRtcpXrProtocol.ssrc("0x123456789")).isEqualTo(-1);
        assertThat(VqRtcpXrProtocol.ssrc("xyz")).isEqualTo(-1);
        assertThat(VqRtcpXrProtocol.ssrc("")).isEqualTo(-1);
        assertThat(VqRtcpXrProtocol.ssrc(null)).isEqualTo(-1);
    }

    @Test
    void timeForms() {
        assertThat(VqRtcpXrProtocol.time("1970-01-01T01:00:00.000000Z")).isEqualTo(Instant.ofEpochSecond(3600));
        assertThat(VqRtcpXrProtocol.time("2025-03-14T10:00:00+01:00")).isEqualTo(Instant.parse("2025-03-14T09:00:00Z"));
        assertThat(VqRtcpXrProtocol.time("2025-03-14T09:00:00")).isEqualTo(Instant.parse("2025-03-14T09:00:00Z"));
        assertThat(VqRtcpXrProtocol.time("yesterday")).isNull();
    }

    // ------------------------------------------------------------------ accepts

    static Stream<Arguments> acceptance() {
        String body = PayloadTesting.resourceText("vq-rfc6035-session.txt");
        return Stream.of(
                Arguments.of("RFC 6035 PUBLISH", publish(body), true),
                Arguments.of("content type in other case, with a parameter", publish("Application/VQ-RTCPXR; charset=utf-8", body), true),
                Arguments.of("compact header c:", new String(publish(body), StandardCharsets.UTF_8)
                        .replace("Content-Type: ", "c: ").getBytes(StandardCharsets.UTF_8), true),
                Arguments.of("no space before the value", new String(publish(body), StandardCharsets.UTF_8)
                        .replace("Content-Type: ", "content-type:").getBytes(StandardCharsets.UTF_8), true),
                Arguments.of("PUBLISH of presence (Accept names vq-rtcpxr)", new String(publish("application/pidf+xml",
                        "<presence/>"), StandardCharsets.UTF_8).replace("Accept: application/sdp", "Accept: application/vq-rtcpxr")
                        .getBytes(StandardCharsets.UTF_8), false),
                Arguments.of("content type vq-rtcpxr-other", publish("application/vq-rtcpxr-other", body), false),
                Arguments.of("the type only in the body", publish("text/plain", "Content-Type: application/vq-rtcpxr\r\n"), false),
                Arguments.of("INVITE", ("INVITE sip:bob@example.org SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\n"
                        + "Content-Type: application/vq-rtcpxr\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8), false),
                Arguments.of("response to the PUBLISH", ("SIP/2.0 200 OK\r\nContent-Type: application/vq-rtcpxr\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8), false),
                Arguments.of("lower-case method", new String(publish(body), StandardCharsets.UTF_8).replaceFirst("PUBLISH", "publish")
                        .getBytes(StandardCharsets.UTF_8), false),
                Arguments.of("PUBLISH line only", "PUBLISH sip:a@b SIP/2.0".getBytes(StandardCharsets.UTF_8), false),
                Arguments.of("binary", new byte[] {(byte) 0x80, (byte) 0xc8, 0, 6, 1, 2, 3, 4, 5, 6, 7, 8}, false),
                Arguments.of("DNS", DnsProtocolTest.aAnswer(), false),
                Arguments.of("empty", new byte[0], false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptance")
    void accepts(String name, byte[] payload, boolean expected) {
        assertThat(vq.accepts(raw(payload))).isEqualTo(expected);
        if (payload.length > 0) {
            assertThat(vq.accepts(hep(payload))).isEqualTo(expected);
        }
    }

    @Test
    void acceptsNullPayload() {
        assertThat(vq.accepts(new HepPacket())).isFalse();
    }

    // ------------------------------------------------------------------ malformed

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("empty body", publish(""), "empty body"),
                Arguments.of("no report line", publish("CallID: c1\r\nLocalMetrics:\r\nPacketLoss:NLR=1\r\n"), "no VQSessionReport"),
                Arguments.of("no CallID", publish("VQSessionReport: CallTerm\r\nLocalMetrics:\r\nPacketLoss:NLR=1\r\n"), "no CallID"),
                Arguments.of("no metrics", publish("VQSessionReport: CallTerm\r\nCallID: c1\r\n"), "no LocalMetrics"),
                Arguments.of("binary body", publish("VQSessionReport\r\nCallID: c\u0000\r\nLocalMetrics:\r\n"), "binary"),
                Arguments.of("prose", publish("Hello collector, the call was fine.\r\n"), "no VQSessionReport"),
                Arguments.of("too many parameters", publish("VQSessionReport\r\nCallID: c\r\nLocalMetrics:\r\nSignal:"
                        + "X=1 ".repeat(1).replace("X", "") + bigParams() + "\r\n"), "parameters"),
                Arguments.of("too many lines", publish("VQSessionReport\r\nCallID: c\r\nLocalMetrics:\r\n" + "x-a: b\r\n".repeat(600)),
                        "lines"),
                Arguments.of("other content type", publish("application/pidf+xml", "<presence/>"), "Content-Type"),
                Arguments.of("not a PUBLISH", ("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\nCall-ID: x\r\n"
                        + "Content-Type: application/vq-rtcpxr\r\n\r\nVQSessionReport\r\n").getBytes(StandardCharsets.UTF_8), "PUBLISH"),
                Arguments.of("not SIP", new byte[] {0x01, 0x02, 0x03}, "not SIP"),
                Arguments.of("empty payload", new byte[0], "empty"));
    }

    private static String bigParams() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            sb.append("P").append(i).append("=1 ");
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedIsAParseFailure(String name, byte[] payload, String reason) {
        assertThatThrownBy(() -> vq.parse(raw(payload)))
                .isInstanceOf(ParseFailure.class)
                .hasMessageContaining(reason)
                .extracting(e -> ((ParseFailure) e).type()).isEqualTo("vq_rtcpxr_parse");
    }

    @Test
    void mutatedReportsParseOrFailCleanly() {
        Random random = new Random(6035);
        ComponentFields template = ComponentFields.of("hep-rtcpxr");
        byte[][] valid = {publish(PayloadTesting.resourceText("vq-rfc6035-session.txt")),
                publish(PayloadTesting.resourceText("vq-yealink-interval.txt")),
                publish(PayloadTesting.resourceText("vq-audiocodes-session.txt"))};
        for (int i = 0; i < 5_000; i++) {
            byte[] m = valid[random.nextInt(valid.length)].clone();
            for (int f = 1 + random.nextInt(6); f > 0; f--) {
                int at = random.nextInt(m.length);
                m[at] = random.nextInt(3) == 0 ? (byte) random.nextInt(256) : (byte) MUTANT_CHARS.charAt(random.nextInt(MUTANT_CHARS.length()));
            }
            if (random.nextInt(3) == 0) {
                m = java.util.Arrays.copyOf(m, random.nextInt(m.length));
            }
            try {
                HepPacket p = raw(m);
                if (vq.accepts(p)) {
                    VqReport r = vq.parse(p);
                    vq.mediaReport(r);
                    assertThat(template.problems(PayloadTesting.document(vq, r, null))).isEmpty();
                }
            } catch (ParseFailure expected) {
                // fine
            } catch (RuntimeException e) {
                throw new AssertionError("mutant threw " + e + ":\n" + new String(m, StandardCharsets.ISO_8859_1), e);
            }
        }
    }

    // ------------------------------------------------------------------ template

    @Test
    void everyFieldWrittenIsMappedAndEveryMappedFieldIsWritten() throws ParseFailure {
        ComponentFields template = ComponentFields.of("hep-rtcpxr");
        assertThat(template.template.at("/template/mappings/dynamic").asBoolean(true)).isFalse();
        assertThat(template.type("vq.local.ip")).isEqualTo("ip");
        assertThat(template.type("qos.mos_source")).isEqualTo("keyword");
        assertThat(template.type("call.id")).isEqualTo("keyword");
        // the qos block has the names and types RTCP documents have
        ComponentFields rtcp = ComponentFields.of("hep-rtcp");
        for (String f : new String[] {"qos.mos", "qos.r_factor", "qos.loss_pct", "qos.jitter_ms", "qos.rtt_ms",
                "qos.codec", "qos.mos_source", "call.id"}) {
            assertThat(template.type(f)).as(f).isEqualTo(rtcp.type(f));
        }
        Set<String> written = new HashSet<>();
        for (String body : new String[] {"vq-rfc6035-session.txt", "vq-yealink-interval.txt", "vq-audiocodes-session.txt"}) {
            JsonNode doc = PayloadTesting.document(vq, parse(publish(PayloadTesting.resourceText(body))), null);
            assertThat(template.problems(doc)).as(body).isEmpty();
            DnsProtocolTest.collectLeaves("", doc, written);
        }
        assertThat(written).containsExactlyInAnyOrderElementsOf(template.leaves());
        assertThat(PayloadTesting.document(vq, null, null).size()).isZero();
    }

    @Test
    void lossIsAPercentageNotACount() throws ParseFailure {
        VqReport r = parse(publish(PayloadTesting.resourceText("vq-rfc6035-session.txt")));
        QosReport q = (QosReport) vq.mediaReport(r);
        assertThat(q.lost()).isEqualTo(-1);
        assertThat(q.packets()).isEqualTo(-1);
        assertThat(r.lossPct()).isCloseTo(5.0, within(1e-9));
    }
}
