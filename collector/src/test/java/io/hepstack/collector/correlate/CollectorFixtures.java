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

    // ================================================================== many calls

    /** How a scripted call ends (the final response code where there is one). */
    public enum Outcome {
        FINISHED(200), ANSWERED(200), USER_BUSY(486), DECLINE(603), CANCELED(487), HARD_FAILURE(503), RINGING(-1);

        public final int code;

        Outcome(int code) {
            this.code = code;
        }

        /** The call was answered (ended normally after answer, or still up). */
        public boolean answered() {
            return this == FINISHED || this == ANSWERED;
        }
    }

    /**
     * One scripted call from {@code callerIp} to {@code calleeIp} through capture node {@code node}
     * (HEP group {@code group}): INVITE at {@code startMicros}, 100 at 50 ms, a 180 at {@code ringMs}
     * (null: none), then as the {@link Outcome} says: the 200 at {@code ringMs + 1000} and a BYE
     * {@code durationS} later (FINISHED), or no BYE (ANSWERED, still up); the failure response at
     * {@code ringMs + 1000} (or 1000 ms without a 180); a CANCEL at {@code ringMs + 1000} then 487;
     * nothing after the 180 (RINGING). An answered call may carry one RTCP report on the caller's
     * stream, sent by the callee's media address 10 s after the answer.
     */
    public record Call(String id, long startMicros, Outcome outcome, Integer ringMs, Integer durationS, String node,
                       String group, String callerUser, String domain, String callee, String callerIp, String calleeIp,
                       Integer rtcpFractionLost, Long rtcpJitterUnits) {

        /** When the 200, the failure or the CANCEL is sent, in ms after the INVITE. */
        public long decidedMs() {
            return (ringMs == null ? 0 : ringMs) + 1_000;
        }

        /** When the RTCP report is captured, in µs. */
        public long rtcpMicros() {
            return startMicros + (decidedMs() + 10_000) * 1000;
        }
    }

    /** A REGISTER at {@code micros} answered {@code code} (one transaction). */
    public record Registration(String user, String domain, long micros, int code, String node, String group, String ip) {
    }

    /** A log line captured at {@code micros} naming call {@code callId}. */
    public record Log(String callId, long micros, String text, String node) {
    }

    /**
     * The documents the collector writes for these calls, registrations and logs (in capture order,
     * one run, then a clean stop: what is still up is written as it is), with enrichment and rating
     * by {@code enricher} (may be null).
     */
    public static List<IndexRequest> run(List<Call> calls, List<Registration> registrations, List<Log> logs,
                                         io.hepstack.enricher.Enricher enricher) {
        List<HepPacket> traffic = new ArrayList<>();
        for (Call c : calls) {
            traffic.addAll(packets(c));
        }
        for (Registration r : registrations) {
            TestSip.Dialog d = new TestSip.Dialog("reg-" + r.user() + "-" + r.micros() + "@" + r.domain());
            d.t0 = r.micros();
            d.fromUser = r.user();
            d.fromHost = r.domain();
            d.toUser = r.user();
            d.toHost = r.domain();
            d.callerIp = r.ip();
            d.node = r.node();
            TestSip.Msg req = d.request("REGISTER", "sip:" + r.domain(), true, 0, 1, "z9hG4bK-reg", false);
            traffic.add(grouped(req.hep(), r.group()));
            traffic.add(grouped(d.response(r.code(), r.code() == 200 ? "OK" : "Not Found", "REGISTER", 1, "z9hG4bK-reg",
                    "reg-tag", 50).hep(), r.group()));
        }
        for (Log l : logs) {
            HepPacket p = TestSip.log(l.micros(), l.callId(), l.text());
            p.nodeName = l.node();
            traffic.add(p);
        }
        traffic.sort(Comparator.comparingLong(HepPacket::timestampMicros));
        Harness h = Harness.writingMessages(new CorrelationConfig(), enricher);
        h.packets(traffic.toArray(new HepPacket[0]));
        h.flush();
        return h.written();
    }

    private static List<HepPacket> packets(Call c) {
        TestSip.Dialog d = new TestSip.Dialog(c.id());
        d.t0 = c.startMicros();
        d.fromUser = c.callerUser();
        d.fromHost = c.domain();
        d.toUser = c.callee();
        d.toHost = c.domain();
        d.callerIp = c.callerIp();
        d.calleeIp = c.calleeIp();
        d.node = c.node();
        List<TestSip.Msg> m = new ArrayList<>();
        m.add(d.invite(0).sdp(c.callerIp(), 4000, "PCMU/8000"));
        m.add(d.reply(100, "Trying", 50));
        if (c.ringMs() != null) {
            m.add(d.reply(180, "Ringing", c.ringMs()));
        }
        long decided = c.decidedMs();
        switch (c.outcome()) {
            case FINISHED, ANSWERED -> {
                m.add(d.reply(200, "OK", decided).sdp(c.calleeIp(), 5000, "PCMU/8000"));
                m.add(d.inDialog("ACK", true, 1, "z9hG4bK-ack", decided + 10));
                if (c.outcome() == Outcome.FINISHED) {
                    TestSip.Msg bye = d.inDialog("BYE", true, 2, "z9hG4bK-bye", decided + c.durationS() * 1000L);
                    m.add(bye);
                    m.add(d.answer(bye, 200, "OK", decided + c.durationS() * 1000L + 20));
                }
            }
            case USER_BUSY, DECLINE, HARD_FAILURE -> {
                m.add(d.reply(c.outcome().code, c.outcome().name(), decided));
                m.add(d.ackForFailure(decided + 10));
            }
            case CANCELED -> {
                TestSip.Msg cancel = d.cancel(decided);
                m.add(cancel);
                m.add(d.answer(cancel, 200, "OK", decided + 10));
                m.add(d.reply(487, "Request Terminated", decided + 20));
                m.add(d.ackForFailure(decided + 30));
            }
            case RINGING -> {
            }
        }
        List<HepPacket> out = new ArrayList<>();
        for (TestSip.Msg msg : m) {
            out.add(grouped(msg.hep(), c.group()));
        }
        if (c.rtcpFractionLost() != null) {
            out.add(grouped(TestSip.rtcp(c.calleeIp(), 5001, c.callerIp(), 4001, c.rtcpMicros(), null, 222, 111, 1_000,
                    c.rtcpFractionLost(), 10, 1_010, c.rtcpJitterUnits()), c.group()));
            out.get(out.size() - 1).nodeName = c.node();
        }
        return out;
    }

    private static HepPacket grouped(HepPacket p, String group) {
        p.groupId = group;
        return p;
    }
}
