package io.hepstack.collector.correlate;

import io.hepstack.collector.fraud.CallAnswered;
import io.hepstack.collector.fraud.CallEnded;
import io.hepstack.collector.fraud.CallStarted;
import io.hepstack.collector.fraud.FraudEngine;
import io.hepstack.collector.fraud.SipSeen;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.protocol.sip.NameAddress;
import io.hepstack.collector.protocol.sip.SipMessage;
import io.hepstack.enricher.IpInfo;
import io.hepstack.enricher.blacklist.BlacklistHit;
import io.hepstack.enricher.number.NumberInfo;
import io.hepstack.enricher.rating.Rating;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Feeds the {@link FraudEngine} from the correlator: call started / answered / ended with the
 * TDR's data, and a {@link SipSeen} for every SIP message that is not a duplicate (a second
 * capture point or a retransmission must not count twice). Responses are attributed to their
 * destination, the requester, as {@link SipSeen} documents.
 *
 * <p>Mapping: user = caller (From) user, domain = From host, calledNumber = callee e.164 digits
 * (else the dialled user part when it is all digits), calledCountry = callee region code,
 * calledNumberType = callee number type, sourceIp = caller signalling address, userAgent = the
 * INVITE's, blacklists = lists holding the source address, captureNode = HEP node (else capture
 * id), ratePerMinute = the rate table's per-minute price when known; at the end the rated cost.
 */
public final class FraudBridge implements CallListener {

    private final FraudEngine engine;

    public FraudBridge(FraudEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    @Override
    public void callStarted(CallSummary c) {
        if (c.startMicros() < 0 || c.startMicros() == Long.MAX_VALUE) {
            return;
        }
        NumberInfo callee = c.callee();
        CallStarted.Builder b = CallStarted.builder(c.callId(), c.startMicros())
                .user(c.callerUser())
                .domain(c.callerDomain())
                .sourceIp(c.sourceIp())
                .userAgent(c.callerUserAgent())
                .calledNumber(calledNumber(c))
                .calledCountry(callee == null ? null : callee.regionCode())
                .calledNumberType(callee == null ? null : callee.type())
                .blacklisted(blacklists(c.source()))
                .captureNode(c.node());
        Rating r = c.rating();
        if (r != null && r.ratePerMinute() != null && r.ratePerMinute().signum() >= 0) {
            b.ratePerMinute(r.ratePerMinute());
        }
        engine.onCallStarted(b.build());
    }

    @Override
    public void callAnswered(CallSummary c) {
        if (c.answerMicros() >= 0) {
            engine.onCallAnswered(new CallAnswered(c.callId(), c.answerMicros()));
        }
    }

    @Override
    public void callEnded(CallSummary c) {
        long end = c.endMicros() >= 0 ? c.endMicros() : c.startMicros();
        if (end < 0 || end == Long.MAX_VALUE) {
            return;
        }
        Rating r = c.rating();
        boolean rated = r != null && r.cost() != null && r.cost().signum() >= 0;
        engine.onCallEnded(new CallEnded(c.callId(), end, c.answered(), c.answered() ? c.durationSeconds() : 0,
                rated ? r.cost() : null, rated ? r.currency() : null));
    }

    @Override
    public void sipMessage(CapturedMessage m) {
        SipMessage s = m.sip;
        if (s == null || m.duplicate) {
            return;
        }
        long t = m.timestampMicros();
        if (s.isRequest()) {
            engine.onSip(SipSeen.request(t, m.hep.srcIpText(), s.method(), s.userAgent(), user(s.from()),
                    user(s.to()), s.callId()));
        } else {
            int code = s.statusCode();
            if (code >= 100 && code <= 699) {
                engine.onSip(SipSeen.response(t, m.hep.dstIpText(), code, s.callId()));
            }
        }
    }

    static String calledNumber(CallSummary c) {
        NumberInfo n = c.callee();
        if (n != null && n.digits() != null) {
            return n.digits();
        }
        String u = c.calleeUser();
        if (u == null || u.isEmpty()) {
            return null;
        }
        int start = u.charAt(0) == '+' ? 1 : 0;
        for (int i = start; i < u.length(); i++) {
            if (u.charAt(i) < '0' || u.charAt(i) > '9') {
                return null;
            }
        }
        return start == u.length() ? null : u.substring(start);
    }

    private static List<String> blacklists(IpInfo info) {
        if (info == null || !info.blacklisted()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(info.blacklists().size());
        for (BlacklistHit h : info.blacklists()) {
            if (!out.contains(h.list())) {
                out.add(h.list());
            }
        }
        return out;
    }

    private static String user(NameAddress na) {
        return na == null || na.uri() == null ? null : na.uri().user();
    }
}
