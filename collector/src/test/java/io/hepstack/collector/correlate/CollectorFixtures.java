package io.hepstack.collector.correlate;

import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.index.IndexRequest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Fixtures for tests that read what the collector writes (the call API's): scenarios defined here
 * as traffic, run through the collector's stages with the real document writers
 * ({@link Harness#writingMessages}), so the documents are the collector's own, not written by hand,
 * and follow the writers when they change. Each scenario returns its facts (ids, times, values), for
 * the tests to compute their expectations from.
 */
public final class CollectorFixtures {

    private CollectorFixtures() {
    }

    /**
     * A B2BUA call: leg A (caller 10.1.1.1 → proxy 10.2.2.2, INVITE, 200 at {@code answerMs}), leg B
     * (proxy → callee 10.3.3.3, naming leg A in {@code X-CID}), a log line of leg A from capture
     * agent {@code logCaptureId}, one RTCP sender report on leg B's stream, and both legs hung up
     * at {@code byeMs}. Times are milliseconds after {@code t0}.
     */
    public record LinkedCall(String callA, String callB, long t0, String requestUri, long inviteMs, long answerMs,
                             long logMs, String logText, long logCaptureId, String logNode, long rtcpMs, long rtcpSsrc,
                             int rtcpFractionLost, long rtcpJitterUnits, long byeMs, List<IndexRequest> documents) {

        public long micros(long ms) {
            return t0 + ms * 1000;
        }

        /** The report's loss as a percentage: fraction lost / 256 (RFC 3550 §6.4.1). */
        public double rtcpLossPct() {
            return rtcpFractionLost * 100.0 / 256;
        }

        /** The report's interarrival jitter in ms: timestamp units of the 8 kHz PCMU clock. */
        public double rtcpJitterMs() {
            return rtcpJitterUnits / 8.0;
        }
    }

    /** The {@link LinkedCall} on 2002-01-01 from 10:00:00, with the documents the collector writes for it. */
    public static LinkedCall linkedCall() {
        TestSip.Dialog a = new TestSip.Dialog("api-leg-a@test");
        a.toUser = "bob";
        a.toHost = "example.org";
        TestSip.Dialog b = new TestSip.Dialog("api-leg-b@test");
        b.callerIp = "10.2.2.2";
        b.calleeIp = "10.3.3.3";
        b.toUser = "bob";
        b.toHost = "example.org";
        b.fromTag = "from-b";
        b.toTag = "to-b";
        b.branch = "z9hG4bK-inv-b";
        long answerMs = 500;
        long logMs = 1_000;
        long rtcpMs = 30_000;
        long byeMs = 60_000;
        long ssrc = 42;
        int fractionLost = 4;
        long jitterUnits = 26;
        String logText = "call api-leg-a@test answered\nroute 2";

        List<HepPacket> traffic = new ArrayList<>();
        traffic.add(a.invite(0).sdp("10.1.1.1", 4000, "PCMU/8000").hep());
        traffic.add(b.invite(100).header("X-CID", a.callId).sdp("10.2.2.2", 6000, "PCMU/8000").hep());
        traffic.add(b.reply(200, "OK", 450).sdp("10.3.3.3", 7000, "PCMU/8000").hep());
        traffic.add(a.reply(200, "OK", answerMs).sdp("10.2.2.2", 5000, "PCMU/8000").hep());
        HepPacket log = TestSip.log(a.at(logMs), a.callId, logText);
        log.captureId = 7;
        log.nodeName = "proxy-log";
        traffic.add(log);
        // the callee reports on the proxy's stream of leg B
        traffic.add(TestSip.rtcp("10.3.3.3", 7001, "10.2.2.2", 6001, b.at(rtcpMs), b.callId, ssrc, 4242, 1_500,
                fractionLost, 20, 1_520, jitterUnits));
        TestSip.Msg byeA = a.inDialog("BYE", true, 2, "z9hG4bK-bye-a", byeMs);
        TestSip.Msg byeB = b.inDialog("BYE", true, 2, "z9hG4bK-bye-b", byeMs + 10);
        traffic.add(byeA.hep());
        traffic.add(byeB.hep());
        traffic.add(a.answer(byeA, 200, "OK", byeMs + 20).hep());
        traffic.add(b.answer(byeB, 200, "OK", byeMs + 30).hep());
        traffic.sort(Comparator.comparingLong(HepPacket::timestampMicros));

        Harness h = Harness.writingMessages(new CorrelationConfig(), null);
        h.packets(traffic.toArray(new HepPacket[0]));
        h.flush();
        return new LinkedCall(a.callId, b.callId, a.t0, "sip:" + a.toUser + "@" + a.toHost, 0, answerMs, logMs, logText,
                7, "proxy-log", rtcpMs, ssrc, fractionLost, jitterUnits, byeMs, h.written());
    }
}
