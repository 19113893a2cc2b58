package io.hepstack.collector.correlate;

import io.hepstack.collector.fraud.AlertsToBatch;
import io.hepstack.collector.fraud.FraudEngine;
import io.hepstack.collector.fraud.rules.FraudConfig;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.index.IndexRequest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Fixtures for tests that read what the collector writes (the call API's, the Kibana panels'):
 * scenarios defined here as traffic, run through the collector's stages with the real document
 * writers ({@link Harness#writingMessages}), so the documents are the collector's own (messages,
 * TDRs, RTCP, logs, fraud alerts), not written by hand, and follow the writers when they change.
 * Each scenario returns its facts (ids, times, values, the messages it sends: {@link #sent}), for
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
     * stream, sent by the callee's media address 10 s after the answer. The caller's phone says
     * {@code userAgent} in its INVITE.
     */
    public record Call(String id, long startMicros, Outcome outcome, Integer ringMs, Integer durationS, String node,
                       String group, String callerUser, String domain, String callee, String callerIp, String calleeIp,
                       String userAgent, Integer rtcpFractionLost, Long rtcpJitterUnits) {

        /** When the 200, the failure or the CANCEL is sent, in ms after the INVITE. */
        public long decidedMs() {
            return (ringMs == null ? 0 : ringMs) + 1_000;
        }

        /** When the RTCP report is captured, in µs. */
        public long rtcpMicros() {
            return startMicros + (decidedMs() + 10_000) * 1000;
        }
    }

    /**
     * One transaction outside a call (a REGISTER, an OPTIONS, ...): {@code user}@{@code domain} (From
     * and To) sends {@code method} from {@code ip} with the User-Agent {@code userAgent} (null: none)
     * to {@code serverIp} at {@code micros}, through capture node {@code node} (HEP group
     * {@code group}); the server answers {@code code} 50 ms later.
     */
    public record Transaction(String method, String user, String domain, long micros, int code, String node, String group,
                              String ip, String userAgent, String serverIp) {
    }

    /**
     * One SIP message of the scripted traffic as it is sent: a request ({@code method}, code 0) or a
     * response ({@code code}, method null) of the {@code cseqMethod} transaction, between two
     * addresses, with its User-Agent header (null: none), From user and To URI, captured at {@code micros} by
     * {@code node} (HEP group {@code group}). Tests compute what the SIP message documents must show
     * from these, the collector writes its documents from the messages themselves.
     */
    public record Sent(long micros, String method, int code, String cseqMethod, String srcIp, String dstIp, String userAgent,
                       String fromUser, String toUser, String toHost, String node, String group) {

        public boolean request() {
            return method != null;
        }

        static Sent of(TestSip.Msg m, String group) {
            String[] start = m.startLine.split(" ", 3);
            boolean response = start[0].startsWith("SIP/");
            String cseq = header(m, "CSeq");
            return new Sent(m.micros, response ? null : start[0], response ? Integer.parseInt(start[1]) : 0,
                    cseq.substring(cseq.indexOf(' ') + 1), m.srcIp, m.dstIp, header(m, "User-Agent"), m.dialog.fromUser,
                    m.dialog.toUser, m.dialog.toHost, m.node, group);
        }

        private static String header(TestSip.Msg m, String name) {
            for (String[] h : m.headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }
    }

    /** A log line captured at {@code micros} naming call {@code callId}. */
    public record Log(String callId, long micros, String text, String node) {
    }

    /**
     * The documents the collector writes for these calls, transactions and logs (in capture order,
     * one run, then a clean stop: what is still up is written as it is), with enrichment and rating
     * by {@code enricher} (may be null) and, when {@code fraud} is given, the fraud stage with a
     * fresh engine on those rules, whose alert documents are written too.
     */
    public static List<IndexRequest> run(List<Call> calls, List<Transaction> transactions, List<Log> logs,
                                         io.hepstack.enricher.Enricher enricher, FraudConfig fraud) {
        List<HepPacket> traffic = new ArrayList<>();
        for (Call c : calls) {
            for (TestSip.Msg m : messages(c)) {
                traffic.add(grouped(m.hep(), c.group()));
            }
            if (c.rtcpFractionLost() != null) {
                HepPacket rtcp = grouped(TestSip.rtcp(c.calleeIp(), 5001, c.callerIp(), 4001, c.rtcpMicros(), null, 222, 111,
                        1_000, c.rtcpFractionLost(), 10, 1_010, c.rtcpJitterUnits()), c.group());
                rtcp.nodeName = c.node();
                traffic.add(rtcp);
            }
        }
        for (Transaction t : transactions) {
            for (TestSip.Msg m : messages(t)) {
                traffic.add(grouped(m.hep(), t.group()));
            }
        }
        for (Log l : logs) {
            HepPacket p = TestSip.log(l.micros(), l.callId(), l.text());
            p.nodeName = l.node();
            traffic.add(p);
        }
        traffic.sort(Comparator.comparingLong(HepPacket::timestampMicros));
        AlertsToBatch alerts = fraud == null ? null : new AlertsToBatch();
        Harness h = Harness.writingMessages(new CorrelationConfig(), enricher,
                fraud == null ? null : new FraudEngine(fraud, alerts), alerts);
        h.packets(traffic.toArray(new HepPacket[0]));
        h.flush();
        return h.written();
    }

    /** Every SIP message {@link #run} sends for these calls and transactions, in capture order. */
    public static List<Sent> sent(List<Call> calls, List<Transaction> transactions) {
        List<Sent> out = new ArrayList<>();
        for (Call c : calls) {
            messages(c).forEach(m -> out.add(Sent.of(m, c.group())));
        }
        for (Transaction t : transactions) {
            messages(t).forEach(m -> out.add(Sent.of(m, t.group())));
        }
        out.sort(Comparator.comparingLong(Sent::micros));
        return out;
    }

    private static List<TestSip.Msg> messages(Transaction t) {
        String branch = "z9hG4bK-" + t.method().toLowerCase(java.util.Locale.ROOT);
        TestSip.Dialog d = new TestSip.Dialog(t.method().toLowerCase(java.util.Locale.ROOT) + "-" + t.user() + "-"
                + t.micros() + "@" + t.domain());
        d.t0 = t.micros();
        d.fromUser = t.user();
        d.fromHost = t.domain();
        d.toUser = t.user();
        d.toHost = t.domain();
        d.callerIp = t.ip();
        d.calleeIp = t.serverIp();
        d.node = t.node();
        String ruri = t.method().equals("REGISTER") ? "sip:" + t.domain() : "sip:" + t.user() + "@" + t.domain();
        TestSip.Msg request = d.request(t.method(), ruri, true, 0, 1, branch, false);
        if (t.userAgent() != null) {
            request.header("User-Agent", t.userAgent());
        }
        return List.of(request, d.response(t.code(), reason(t.code()), t.method(), 1, branch, "tx-tag", 50));
    }

    private static String reason(int code) {
        return switch (code) {
            case 200 -> "OK";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            default -> "Failed";
        };
    }

    private static List<TestSip.Msg> messages(Call c) {
        TestSip.Dialog d = new TestSip.Dialog(c.id());
        d.t0 = c.startMicros();
        d.fromUser = c.callerUser();
        d.fromHost = c.domain();
        d.toUser = c.callee();
        d.toHost = c.domain();
        d.callerIp = c.callerIp();
        d.calleeIp = c.calleeIp();
        d.node = c.node();
        d.userAgent = c.userAgent();
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
        return m;
    }

    private static HepPacket grouped(HepPacket p, String group) {
        p.groupId = group;
        return p;
    }
}
